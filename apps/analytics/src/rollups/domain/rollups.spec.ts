import { UNKNOWN_CHANNEL } from '@shop/contracts';
import { TOTAL_WINDOW_START, UNKNOWN_REGION, orderContributions, regionOf, windowEnd, windowStart, type Contribution } from './rollups';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('windowStart', () => {
  it('floors to the UTC minute and hour', () => {
    expect(iso(windowStart('1m', at('2026-11-25T10:17:42.123Z')))).toBe('2026-11-25T10:17:00.000Z');
    expect(iso(windowStart('1h', at('2026-11-25T10:17:42.123Z')))).toBe('2026-11-25T10:00:00.000Z');
  });

  it('puts an instant on a boundary in the window it starts (start inclusive, end exclusive)', () => {
    expect(iso(windowStart('1m', at('2026-11-25T10:18:00.000Z')))).toBe('2026-11-25T10:18:00.000Z');
    expect(iso(windowStart('1m', at('2026-11-25T10:17:59.999Z')))).toBe('2026-11-25T10:17:00.000Z');
    expect(iso(windowStart('1h', at('2026-11-25T11:00:00.000Z')))).toBe('2026-11-25T11:00:00.000Z');
    expect(iso(windowStart('1h', at('2026-11-25T10:59:59.999Z')))).toBe('2026-11-25T10:00:00.000Z');
    expect(iso(windowStart('1h', at('2026-11-26T00:00:00.000Z')))).toBe('2026-11-26T00:00:00.000Z');
  });

  it('aligns on UTC, not on the offset the timestamp was written in', () => {
    // 10:30+05:30 is 05:00Z; 10:59:30+05:45 is 05:14:30Z.
    expect(iso(windowStart('1h', at('2026-11-25T10:30:00+05:30')))).toBe('2026-11-25T05:00:00.000Z');
    expect(iso(windowStart('1h', at('2026-11-25T10:59:30+05:45')))).toBe('2026-11-25T05:00:00.000Z');
    expect(iso(windowStart('1m', at('2026-11-25T10:59:30+05:45')))).toBe('2026-11-25T05:14:00.000Z');
  });

  it('floors instants before 1970 downwards too', () => {
    expect(iso(windowStart('1m', at('1969-12-31T23:59:30.000Z')))).toBe('1969-12-31T23:59:00.000Z');
  });

  it('gives the running totals one fixed start', () => {
    expect(windowStart('total', at('2026-11-25T10:17:42Z'))).toBe(TOTAL_WINDOW_START);
    expect(iso(TOTAL_WINDOW_START)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('refuses an invalid date', () => {
    expect(() => windowStart('1m', new Date('nope'))).toThrow(RangeError);
  });
});

describe('windowEnd', () => {
  it('is start + size, none for the totals', () => {
    expect(iso(windowEnd('1m', at('2026-11-25T10:17:00Z')))).toBe('2026-11-25T10:18:00.000Z');
    expect(iso(windowEnd('1h', at('2026-11-25T23:00:00Z')))).toBe('2026-11-26T00:00:00.000Z');
    expect(windowEnd('total', TOTAL_WINDOW_START)).toBeNull();
  });
});

describe('regionOf', () => {
  it("is the user's region, or 'unknown' without a user", () => {
    expect(regionOf({ region: 'europe' })).toBe('europe');
    expect(regionOf(undefined)).toBe(UNKNOWN_REGION);
    expect(UNKNOWN_REGION).toBe('unknown');
  });
});

describe('orderContributions', () => {
  const view = (cs: Contribution[]) => cs.map((c) => [c.windowSize, iso(c.windowStart), c.dimension, c.dimensionValue, c.count, c.revenue]);

  it('counts a one-line order once per window size and dimension', () => {
    const order = {
      placedAt: '2026-11-25T10:17:42.500Z',
      totalCents: 2500,
      lines: [{ productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1250 }],
    };
    expect(view(orderContributions(order, 'europe'))).toEqual([
      ['1m', '2026-11-25T10:17:00.000Z', 'region', 'europe', 1n, 2500n],
      ['1m', '2026-11-25T10:17:00.000Z', 'channel', 'unknown', 1n, 2500n],
      ['1m', '2026-11-25T10:17:00.000Z', 'product', 'p-1', 2n, 2500n],
      ['1m', '2026-11-25T10:17:00.000Z', 'category', 'books', 2n, 2500n],
      ['1h', '2026-11-25T10:00:00.000Z', 'region', 'europe', 1n, 2500n],
      ['1h', '2026-11-25T10:00:00.000Z', 'channel', 'unknown', 1n, 2500n],
      ['1h', '2026-11-25T10:00:00.000Z', 'product', 'p-1', 2n, 2500n],
      ['1h', '2026-11-25T10:00:00.000Z', 'category', 'books', 2n, 2500n],
      ['total', '1970-01-01T00:00:00.000Z', 'region', 'europe', 1n, 2500n],
      ['total', '1970-01-01T00:00:00.000Z', 'channel', 'unknown', 1n, 2500n],
      ['total', '1970-01-01T00:00:00.000Z', 'product', 'p-1', 2n, 2500n],
      ['total', '1970-01-01T00:00:00.000Z', 'category', 'books', 2n, 2500n],
    ]);
  });

  it('splits a multi-line order by product and category, per line (quantity, quantity × unit price)', () => {
    const order = {
      placedAt: '2026-11-25T10:00:00Z',
      totalCents: 3 * 100 + 1 * 5000 + 2 * 100,
      lines: [
        { productId: 'pen', category: 'office', quantity: 3, unitPriceCents: 100 },
        { productId: 'lamp', category: 'home', quantity: 1, unitPriceCents: 5000 },
        { productId: 'pen', category: 'office', quantity: 2, unitPriceCents: 100 },
        { productId: 'clip', category: 'office', quantity: 10, unitPriceCents: 5 },
      ],
    };
    const oneMinute = view(orderContributions(order, 'north-america').filter((c) => c.windowSize === '1m'));
    expect(oneMinute).toEqual([
      ['1m', '2026-11-25T10:00:00.000Z', 'region', 'north-america', 1n, 5500n],
      ['1m', '2026-11-25T10:00:00.000Z', 'channel', 'unknown', 1n, 5500n],
      ['1m', '2026-11-25T10:00:00.000Z', 'product', 'pen', 5n, 500n],
      ['1m', '2026-11-25T10:00:00.000Z', 'product', 'lamp', 1n, 5000n],
      ['1m', '2026-11-25T10:00:00.000Z', 'product', 'clip', 10n, 50n],
      ['1m', '2026-11-25T10:00:00.000Z', 'category', 'office', 15n, 550n],
      ['1m', '2026-11-25T10:00:00.000Z', 'category', 'home', 1n, 5000n],
    ]);
  });

  it('takes revenue by region from totalCents, by line from the lines', () => {
    // Validation guarantees they agree; the roll-ups still follow the rule of each dimension.
    const order = {
      placedAt: '2026-11-25T10:00:00Z',
      totalCents: 999,
      lines: [{ productId: 'p', category: 'c', quantity: 1, unitPriceCents: 100 }],
    };
    const total = orderContributions(order, 'asia').filter((c) => c.windowSize === 'total');
    expect(total.map((c) => [c.dimension, c.revenue])).toEqual([
      ['region', 999n],
      ['channel', 999n],
      ['product', 100n],
      ['category', 100n],
    ]);
  });

  it('computes revenue in bigint, exact beyond 2^53', () => {
    const order = {
      placedAt: '2026-11-25T10:00:00Z',
      totalCents: 100_000_000_000,
      lines: [{ productId: 'p', category: 'c', quantity: 10_000, unitPriceCents: 100_000_000_000 }],
    };
    const [, , product] = orderContributions(order, 'europe');
    expect(product?.revenue).toBe(1_000_000_000_000_000n);
  });

  it('uses the region it is given, unknown included', () => {
    const order = {
      placedAt: '2026-11-25T10:00:00Z',
      totalCents: 1,
      lines: [{ productId: 'p', category: 'c', quantity: 1, unitPriceCents: 1 }],
    };
    expect(orderContributions(order, UNKNOWN_REGION)[0]).toMatchObject({ dimension: 'region', dimensionValue: 'unknown' });
  });

  it("counts an order under its channel, and one without a channel (OrderValidated v1 included) under 'unknown'", () => {
    const order = {
      placedAt: '2026-11-25T10:00:00Z',
      totalCents: 700,
      lines: [{ productId: 'p', category: 'c', quantity: 7, unitPriceCents: 100 }],
    };
    const channelOf = (o: Parameters<typeof orderContributions>[0]) =>
      orderContributions(o, 'europe')
        .filter((c) => c.dimension === 'channel')
        .map((c) => [c.windowSize, c.dimensionValue, c.count, c.revenue]);
    expect(channelOf({ ...order, channel: 'mobile' })).toEqual([
      ['1m', 'mobile', 1n, 700n],
      ['1h', 'mobile', 1n, 700n],
      ['total', 'mobile', 1n, 700n],
    ]);
    expect(channelOf(order).map(([, value]) => value)).toEqual([UNKNOWN_CHANNEL, UNKNOWN_CHANNEL, UNKNOWN_CHANNEL]);
    expect(UNKNOWN_CHANNEL).toBe('unknown');
  });

  it('puts an order placed on a window boundary into the window it starts', () => {
    const order = {
      placedAt: '2026-11-25T11:00:00.000Z',
      totalCents: 1,
      lines: [{ productId: 'p', category: 'c', quantity: 1, unitPriceCents: 1 }],
    };
    const starts = orderContributions(order, 'europe')
      .filter((c) => c.dimension === 'region')
      .map((c) => [c.windowSize, iso(c.windowStart)]);
    expect(starts).toEqual([
      ['1m', '2026-11-25T11:00:00.000Z'],
      ['1h', '2026-11-25T11:00:00.000Z'],
      ['total', '1970-01-01T00:00:00.000Z'],
    ]);
  });

  it('refuses a placedAt that is not a timestamp', () => {
    expect(() => orderContributions({ placedAt: 'yesterday', totalCents: 1, lines: [] }, 'europe')).toThrow(/placedAt is not a timestamp/);
  });
});
