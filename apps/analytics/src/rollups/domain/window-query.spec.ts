import { parseWindowQuery } from './window-query';

describe('parseWindowQuery', () => {
  it('reads size and dimension, without a range', () => {
    expect(parseWindowQuery({ size: '1m', dimension: 'region' })).toEqual({
      ok: true,
      query: { size: '1m', dimension: 'region', from: null, to: null },
    });
  });

  it('reads a range (from inclusive, to exclusive), with any zone offset', () => {
    expect(parseWindowQuery({ size: '1h', dimension: 'category', from: '2026-11-25T10:00:00Z', to: '2026-11-25T12:00:00+01:00' })).toEqual({
      ok: true,
      query: { size: '1h', dimension: 'category', from: new Date('2026-11-25T10:00:00Z'), to: new Date('2026-11-25T11:00:00Z') },
    });
    expect(
      parseWindowQuery({ size: '1m', dimension: 'product', from: '2026-11-25T10:00:00.123Z', to: '2026-11-25T10:00:00.123Z' }).ok,
    ).toBe(true);
  });

  it('accepts the running totals without a range', () => {
    expect(parseWindowQuery({ size: 'total', dimension: 'product' })).toEqual({
      ok: true,
      query: { size: 'total', dimension: 'product', from: null, to: null },
    });
  });

  it('requires size and dimension', () => {
    expect(parseWindowQuery({})).toEqual({
      ok: false,
      problems: ['size is required (one of 1m, 1h, total)', 'dimension is required (one of region, product, category, channel)'],
    });
  });

  it('lists every problem at once', () => {
    expect(parseWindowQuery({ size: '5m', dimension: 'country', from: 'yesterday', to: '2026-11-25' })).toEqual({
      ok: false,
      problems: [
        'size must be one of 1m, 1h, total (got "5m")',
        'dimension must be one of region, product, category, channel (got "country")',
        'from must be an ISO-8601 date-time with a zone, e.g. 2026-11-25T10:00:00Z (got "yesterday")',
        'to must be an ISO-8601 date-time with a zone, e.g. 2026-11-25T10:00:00Z (got "2026-11-25")',
      ],
    });
  });

  it('rejects a date-time without a zone and an impossible one', () => {
    expect(parseWindowQuery({ size: '1m', dimension: 'region', from: '2026-11-25T10:00:00' })).toMatchObject({ ok: false });
    expect(parseWindowQuery({ size: '1m', dimension: 'region', from: '2026-13-45T10:00:00Z' })).toMatchObject({ ok: false });
  });

  it('rejects a range that ends before it starts', () => {
    expect(parseWindowQuery({ size: '1m', dimension: 'region', from: '2026-11-25T11:00:00Z', to: '2026-11-25T10:00:00Z' })).toEqual({
      ok: false,
      problems: ['from must not be after to'],
    });
  });

  it('rejects a range on the running totals', () => {
    expect(parseWindowQuery({ size: 'total', dimension: 'region', from: '2026-11-25T10:00:00Z' })).toEqual({
      ok: false,
      problems: ['from and to select 1m and 1h windows; size=total has no time range'],
    });
  });

  it('rejects a parameter given twice (?size=1m&size=1h)', () => {
    expect(parseWindowQuery({ size: ['1m', '1h'], dimension: 'region' })).toEqual({ ok: false, problems: ['size must be given once'] });
  });
});
