import type { ViewCheck } from '@shop/nest-platform';
import { chartFrom, ordersPerMinute, rankedByRevenue, viewFreshness } from './dashboard.snapshot';

describe('dashboard snapshot', () => {
  const w = (start: string, values: [string, number, number][]) => ({
    windowStart: start,
    windowEnd: null,
    values: values.map(([value, count, revenueCents]) => ({ value, count, revenueCents })),
  });

  it('takes the chart range from the latest window present, not the clock', () => {
    expect(chartFrom(null)).toBeNull();
    expect(chartFrom(new Date('2030-01-01T10:29:00Z'))?.toISOString()).toBe('2030-01-01T10:00:00.000Z');
    expect(chartFrom(new Date('2030-01-01T10:29:00Z'), 5)?.toISOString()).toBe('2030-01-01T10:25:00.000Z');
  });

  it('sums the regions of each minute and fills minutes without orders with 0', () => {
    const points = ordersPerMinute(
      [
        w('2030-01-01T10:00:00.000Z', [
          ['eu', 2, 500],
          ['us', 1, 100],
        ]),
        w('2030-01-01T10:03:00.000Z', [['eu', 4, 40]]),
      ],
      5,
    );
    expect(points).toEqual([
      { windowStart: '2030-01-01T09:59:00.000Z', orders: 0, revenueCents: 0 },
      { windowStart: '2030-01-01T10:00:00.000Z', orders: 3, revenueCents: 600 },
      { windowStart: '2030-01-01T10:01:00.000Z', orders: 0, revenueCents: 0 },
      { windowStart: '2030-01-01T10:02:00.000Z', orders: 0, revenueCents: 0 },
      { windowStart: '2030-01-01T10:03:00.000Z', orders: 4, revenueCents: 40 },
    ]);
    expect(ordersPerMinute([])).toEqual([]);
  });

  it('ranks by revenue, then by name', () => {
    expect(
      rankedByRevenue([
        { value: 'b', count: 1, revenueCents: 10 },
        { value: 'c', count: 9, revenueCents: 99 },
        { value: 'a', count: 1, revenueCents: 10 },
      ]).map((v) => v.value),
    ).toEqual(['c', 'a', 'b']);
  });

  it('keeps status and lag of each view and its latest write', () => {
    const check: ViewCheck = {
      view: 'verdicts',
      topic: 'order-validations',
      status: 'caught-up',
      lag: 0,
      maxLag: 100,
      partitions: [
        { partition: 0, nextOffset: 3, highWatermark: 3, lag: 0, updatedAt: '2030-01-01T10:00:00.000Z' },
        { partition: 1, nextOffset: 5, highWatermark: 5, lag: 0, updatedAt: '2030-01-01T10:00:05.000Z' },
        { partition: 2, nextOffset: 0, highWatermark: 0, lag: 0, updatedAt: null },
      ],
    };
    expect(viewFreshness([check, { ...check, view: 'users', partitions: [] }])).toEqual([
      { view: 'verdicts', topic: 'order-validations', status: 'caught-up', lag: 0, lastWriteAt: '2030-01-01T10:00:05.000Z' },
      { view: 'users', topic: 'order-validations', status: 'caught-up', lag: 0, lastWriteAt: null },
    ]);
  });
});
