import { JSON_SUFFIX_MEDIA_TYPE, MalformedJsonBody, UnstorableJsonBody, parseJsonBody, unreadableBody, unstorableText } from './json-body';

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

describe('unstorableText: strings PostgreSQL cannot store', () => {
  it.each([
    ['{"a":"x\\u0000y"}', 'a: has U+0000 (NUL), which cannot be stored'],
    ['{"a":{"b":["ok","\\ud800"]}}', 'a.b.1: has a lone surrogate U+D800, which cannot be stored'],
    ['["\\udfffz"]', '0: has a lone surrogate U+DFFF, which cannot be stored'],
    ['{"k\\u0000":1}', '(body): a field name has U+0000 (NUL), which cannot be stored'],
    ['"\\u0000"', '(body): has U+0000 (NUL), which cannot be stored'],
  ])('refuses %s', (json, reason) => {
    expect(unstorableText(JSON.parse(json))).toBe(reason);
    expect(parseJsonBody(json)).toEqual(new UnstorableJsonBody(reason));
  });

  it('takes every other string, emoji (surrogate pairs) included, at any depth', () => {
    expect(unstorableText({ a: ['😀', 'e\u0301', '\uffff', '\u0001'], b: { c: null, d: 1 } })).toBeUndefined();
    const deep = `${'['.repeat(50_000)}"x"${']'.repeat(50_000)}`;
    expect(unstorableText(JSON.parse(deep))).toBeUndefined();
  });
});

describe('the media types read as JSON', () => {
  it.each([
    ['application/merge-patch+json', true],
    ['application/vnd.shop.order+json; charset="utf-8"', true],
    ['application/json-seq', false],
    ['text/json+x', false],
    ['application/+json', false],
    ['application/a b+json', false],
  ])('%s: %s', (type, json) => {
    expect(JSON_SUFFIX_MEDIA_TYPE.test(type)).toBe(json);
  });

  it('refuses a non-empty body of any other type with 415, and lets an empty one through', () => {
    expect(unreadableBody('text/plain', Buffer.from(''))).toBeUndefined();
    expect(unreadableBody('text/plain', Buffer.from('x'))).toMatchObject({ status: 415 });
    expect(unreadableBody(undefined, Buffer.from('{}'))).toMatchObject({ status: 415 });
  });
});
