import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, parsePageQuery } from './page-query';

describe('parsePageQuery', () => {
  it('defaults limit and offset', () => {
    expect(parsePageQuery({})).toEqual({ ok: true, page: { limit: DEFAULT_PAGE_LIMIT, offset: 0 } });
  });

  it('reads both from the query string', () => {
    expect(parsePageQuery({ limit: '5', offset: '10' })).toEqual({ ok: true, page: { limit: 5, offset: 10 } });
  });

  it('lists every problem', () => {
    expect(parsePageQuery({ limit: '0', offset: '-1' })).toEqual({
      ok: false,
      problems: ['limit must be at least 1', 'offset must be a whole number'],
    });
    expect(parsePageQuery({ limit: String(MAX_PAGE_LIMIT + 1) })).toEqual({
      ok: false,
      problems: [`limit must be at most ${MAX_PAGE_LIMIT}`],
    });
    expect(parsePageQuery({ limit: 'ten' })).toEqual({ ok: false, problems: ['limit must be a whole number'] });
  });

  it('rejects a parameter given twice (?limit=1&limit=2)', () => {
    expect(parsePageQuery({ limit: ['1', '2'] })).toEqual({ ok: false, problems: ['limit must be given once'] });
  });
});
