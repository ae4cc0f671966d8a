import { JSON_SUFFIX_MEDIA_TYPE, MalformedJsonBody, parseJsonBody, unreadableBody } from './json-body';

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
