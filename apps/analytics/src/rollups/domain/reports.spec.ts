import { toJsonNumber, totalsReport, windowsReport } from './reports';
import { TOTAL_WINDOW_START } from './rollups';

const row = (start: string, value: string, count: bigint, revenue: bigint) => ({
  windowStart: new Date(start),
  dimensionValue: value,
  count,
  revenue,
});

describe('windowsReport', () => {
  it('groups rows by window start, windows and values in order, whatever order they came in', () => {
    const rows = [
      row('2026-11-25T10:01:00Z', 'europe', 1n, 100n),
      row('2026-11-25T10:00:00Z', 'north-america', 2n, 300n),
      row('2026-11-25T10:00:00Z', 'europe', 3n, 700n),
    ];
    const expected = {
      size: '1m',
      dimension: 'region',
      from: '2026-11-25T10:00:00.000Z',
      to: null,
      windows: [
        {
          windowStart: '2026-11-25T10:00:00.000Z',
          windowEnd: '2026-11-25T10:01:00.000Z',
          values: [
            { value: 'europe', count: 3, revenueCents: 700 },
            { value: 'north-america', count: 2, revenueCents: 300 },
          ],
        },
        {
          windowStart: '2026-11-25T10:01:00.000Z',
          windowEnd: '2026-11-25T10:02:00.000Z',
          values: [{ value: 'europe', count: 1, revenueCents: 100 }],
        },
      ],
    };
    expect(windowsReport('1m', 'region', new Date('2026-11-25T10:00:00Z'), null, rows)).toEqual(expected);
    expect(windowsReport('1m', 'region', new Date('2026-11-25T10:00:00Z'), null, [...rows].reverse())).toEqual(expected);
  });

  it('gives hourly windows their end and the running totals none', () => {
    expect(windowsReport('1h', 'product', null, null, [row('2026-11-25T23:00:00Z', 'p', 1n, 1n)]).windows[0]).toMatchObject({
      windowStart: '2026-11-25T23:00:00.000Z',
      windowEnd: '2026-11-26T00:00:00.000Z',
    });
    const total = windowsReport('total', 'category', null, null, [
      { windowStart: TOTAL_WINDOW_START, dimensionValue: 'books', count: 5n, revenue: 50n },
    ]);
    expect(total).toEqual({
      size: 'total',
      dimension: 'category',
      from: null,
      to: null,
      windows: [{ windowStart: null, windowEnd: null, values: [{ value: 'books', count: 5, revenueCents: 50 }] }],
    });
  });

  it('has no windows without rows', () => {
    expect(windowsReport('1m', 'region', null, null, []).windows).toEqual([]);
  });
});

describe('totalsReport', () => {
  it('reads the counters, alerts by rule in name order', () => {
    expect(
      totalsReport({
        verdicts: [
          { outcome: 'rejected', orders: 2n, revenueCents: 0n },
          { outcome: 'validated', orders: 5n, revenueCents: 12_345n },
        ],
        shipments: 4n,
        alerts: [
          { rule: 'velocity', count: 1n },
          { rule: 'amount', count: 2n },
        ],
      }),
    ).toEqual({
      orders: { validated: 5, rejected: 2 },
      revenueCents: 12_345,
      shipments: 4,
      fraudAlerts: { total: 3, byRule: { amount: 2, velocity: 1 } },
    });
  });

  it('is all zeros before anything was counted', () => {
    expect(totalsReport({ verdicts: [], shipments: 0n, alerts: [] })).toEqual({
      orders: { validated: 0, rejected: 0 },
      revenueCents: 0,
      shipments: 0,
      fraudAlerts: { total: 0, byRule: {} },
    });
  });
});

describe('toJsonNumber', () => {
  it('converts exactly up to 2^53 - 1 and refuses more', () => {
    expect(toJsonNumber(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toJsonNumber(9_007_199_254_740_992n)).toThrow(RangeError);
  });
});
