import { parseWaitMs } from './wait-query';

describe('waitMs', () => {
  it('defaults to 0', () => {
    expect(parseWaitMs(undefined)).toEqual({ ok: true, waitMs: 0 });
    expect(parseWaitMs('')).toEqual({ ok: true, waitMs: 0 });
  });
  it.each([
    ['0', 0],
    ['5000', 5000],
    ['30000', 30_000],
  ])('takes %s', (raw, waitMs) => expect(parseWaitMs(raw)).toEqual({ ok: true, waitMs }));
  it.each(['-1', '1.5', 'abc', '30001', ['1', '2']])('refuses %p', (raw) => expect(parseWaitMs(raw).ok).toBe(false));
});
