import { DEFAULT_ALERT_LIMIT, isAlertReference, parseAlertQuery } from './alert-query';

describe('parseAlertQuery', () => {
  it('applies defaults when nothing is given', () => {
    expect(parseAlertQuery({})).toEqual({ ok: true, query: { limit: DEFAULT_ALERT_LIMIT, offset: 0 } });
  });

  it('reads every filter', () => {
    expect(parseAlertQuery({ userId: 'u-1', rule: 'velocity', limit: '10', offset: '20' })).toEqual({
      ok: true,
      query: { userId: 'u-1', rule: 'velocity', limit: 10, offset: 20 },
    });
  });

  it('accepts the limit bounds and rejects what lies outside', () => {
    expect(parseAlertQuery({ limit: '1' })).toMatchObject({ ok: true, query: { limit: 1 } });
    expect(parseAlertQuery({ limit: '200' })).toMatchObject({ ok: true, query: { limit: 200 } });
    expect(parseAlertQuery({ limit: '0' })).toEqual({ ok: false, problems: ['limit must be at least 1'] });
    expect(parseAlertQuery({ limit: '201' })).toEqual({ ok: false, problems: ['limit must be at most 200'] });
  });

  it('lists every problem at once', () => {
    expect(parseAlertQuery({ userId: 'not an id!', rule: 'speed', limit: 'ten', offset: '-1' })).toEqual({
      ok: false,
      problems: [
        'userId must be a user id (letters, digits, "_" and "-", at most 64)',
        'rule must be one of velocity, amount, country-mismatch, new-account-large-order',
        'limit must be a whole number',
        'offset must be a whole number',
      ],
    });
  });

  it('rejects a repeated parameter', () => {
    expect(parseAlertQuery({ rule: ['velocity', 'amount'] })).toEqual({ ok: false, problems: ['rule must be given once'] });
  });
});

describe('isAlertReference', () => {
  it('accepts alert ids and readable event ids, nothing else', () => {
    expect(isAlertReference('u-1-velocity-2026-11-25T10-00-00-000Z')).toBe(true);
    expect(isAlertReference('u-1:velocity:2026-11-25T10:00:00.000Z')).toBe(true);
    expect(isAlertReference('')).toBe(false);
    expect(isAlertReference('a b')).toBe(false);
    expect(isAlertReference('x'.repeat(201))).toBe(false);
  });
});
