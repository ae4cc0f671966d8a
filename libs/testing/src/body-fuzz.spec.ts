import fc from 'fast-check';
import { errorBodyProblems, fuzzedBodies, inParallel, pathsOf, platformAnswer, withAt } from './body-fuzz';

const limit = { bodyLimitBytes: 1024 };
const valid = fc.record({ a: fc.integer({ min: 1, max: 9 }), b: fc.array(fc.constant('x'), { minLength: 1, maxLength: 2 }) });

describe('fuzzedBodies', () => {
  it('is deterministic for a seed, and mutates most bodies in every way it names', () => {
    const first = fc.sample(fuzzedBodies(valid, limit), { seed: 7, numRuns: 2000 });
    expect(fc.sample(fuzzedBodies(valid, limit), { seed: 7, numRuns: 2000 })).toEqual(first);
    const kinds = new Set(first.map((body) => body.mutation.split(/[ ,]/)[0]));
    for (const kind of [
      'valid',
      'drop',
      'wrong-type',
      'unicode',
      'huge-string',
      'number',
      'deep',
      'extra-field',
      'duplicate-key',
      'truncated',
      'odd-text',
      'oversized',
    ]) {
      expect(kinds).toContain(kind);
    }
    const expects = new Set(first.map((body) => body.expect));
    expect([...expects].sort()).toEqual([400, 413, 415, 'validate'].sort());
  });

  it('says 413 over the limit, 415 for a body not of a JSON type, 400 for text that is not JSON or cannot be stored', () => {
    expect(platformAnswer('application/json', 'x'.repeat(1025), limit, 'json')).toBe(413);
    expect(platformAnswer('text/plain', '{}', limit, 'other')).toBe(415);
    expect(platformAnswer('text/plain', '', limit, 'other')).toBe('validate');
    expect(platformAnswer('not a type', '', limit, 'broken')).toBe(415);
    expect(platformAnswer('application/json', '{"a":', limit, 'json')).toBe(400);
    expect(platformAnswer('application/json', '{"a":"\\u0000"}', limit, 'json')).toBe(400);
    expect(platformAnswer('application/json', '{"a":"😀"}', limit, 'json')).toBe('validate');
  });
});

describe('paths and replacements', () => {
  it('lists every node and replaces or removes one, "__proto__" kept as a field', () => {
    expect(pathsOf({ a: [1, { b: 2 }] })).toEqual([['a'], ['a', 0], ['a', 1], ['a', 1, 'b']]);
    expect(withAt({ a: [1, { b: 2 }] }, ['a', 1, 'b'], 'x')).toEqual({ a: [1, { b: 'x' }] });
    expect(withAt({ a: [1, 2] }, ['a', 0], undefined)).toEqual({ a: [2] });
    expect(JSON.stringify(withAt({ a: 1 }, ['__proto__'], 3))).toBe('{"a":1}');
    const poisoned = withAt(JSON.parse('{"__proto__":{"x":1},"a":1}'), ['a'], 2);
    expect(JSON.stringify(poisoned)).toBe('{"__proto__":{"x":1},"a":2}');
  });
});

describe('errorBodyProblems', () => {
  it('takes the one error body only', () => {
    expect(errorBodyProblems(404, { statusCode: 404, error: 'Not Found', message: 'm', reasons: ['m'] })).toEqual([]);
    expect(errorBodyProblems(404, { statusCode: 400, error: 'Bad Request', message: 'm', reasons: ['m'] })).toHaveLength(2);
    expect(errorBodyProblems(400, { error: 'invalid order', reasons: ['x'] }).length).toBeGreaterThan(0);
    expect(
      errorBodyProblems(400, { statusCode: 400, error: 'Bad Request', message: 'm', reasons: ['m'], extra: 1 }).length,
    ).toBeGreaterThan(0);
  });
});

describe('inParallel', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await inParallel([5, 1, 3, 2, 4], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 30, 20, 40]);
    expect(most).toBe(2);
  });
});
