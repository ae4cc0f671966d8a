import { MalformedJsonBody, parseJsonBody } from './json-body';

describe('parseJsonBody', () => {
  it('parses JSON, keeps an empty body undefined, and wraps what does not parse', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
    expect(parseJsonBody('')).toBeUndefined();
    const bad = parseJsonBody('{"userId": "u", "lines": [');
    expect(bad).toBeInstanceOf(MalformedJsonBody);
    expect((bad as MalformedJsonBody).message).toMatch(/JSON/);
  });

  it('leaves a __proto__ key an own property (no prototype poisoning)', () => {
    const parsed = parseJsonBody('{"__proto__": {"admin": true}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});
