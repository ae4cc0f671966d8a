import {
  ANALYTICS_WINDOW_SIZES,
  UNKNOWN_CHANNEL,
  type AnalyticsDimension,
  type AnalyticsWindowSize,
  type OrderChannel,
} from '@shop/contracts';

/**
 * The roll-up rules of analytics (docs/services.md, "analytics"), pure: no Nest, Prisma or Kafka.
 *
 * Validated orders are counted on EVENT time (the order's `placedAt`), never processing time, so a rebuild
 * from the log gives the same numbers. Each order contributes to tumbling 1-minute and 1-hour windows
 * (UTC-aligned) and to the running totals, by region, by channel, by product and by category:
 *   - by region, channel:   count = 1 (the order),   revenue = totalCents
 *   - by product, category: count = line quantity,   revenue = quantity × unitPriceCents (per line)
 */

/** The window_start of the running totals: a fixed instant, so `total` rows have a key like the others. */
export const TOTAL_WINDOW_START = new Date(0);

/** Region of an order whose user is not in the users view (never created, deleted, not consumed). */
export const UNKNOWN_REGION = 'unknown';

const WINDOW_MS: Readonly<Record<Exclude<AnalyticsWindowSize, 'total'>, number>> = {
  '1m': 60_000,
  '1h': 3_600_000,
};

/** Start of the window of `size` that holds the instant `at` (UTC-aligned, start inclusive, end exclusive). */
export function windowStart(size: AnalyticsWindowSize, at: Date): Date {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('windowStart: invalid date');
  if (size === 'total') return TOTAL_WINDOW_START;
  const length = WINDOW_MS[size];
  return new Date(Math.floor(ms / length) * length);
}

/** End (exclusive) of the window of `size` starting at `start`; the running totals have none. */
export function windowEnd(size: AnalyticsWindowSize, start: Date): Date | null {
  return size === 'total' ? null : new Date(start.getTime() + WINDOW_MS[size]);
}

/** The region an order counts under: its user's region in the users view, else 'unknown'. */
export function regionOf(user: { readonly region: string } | undefined): string {
  return user?.region ?? UNKNOWN_REGION;
}

export interface OrderLineFacts {
  readonly productId: string;
  readonly category: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** What the roll-ups need of a validated order. */
export interface ValidatedOrderFacts {
  /** ISO-8601 with offset, as on the wire. */
  readonly placedAt: string;
  readonly totalCents: number;
  readonly lines: readonly OrderLineFacts[];
  /** Absent on OrderValidated v1 (upcast) and when the client did not say. */
  readonly channel?: OrderChannel;
}

/** One order's addition to one roll-up row. Counts and revenue are bigint: sums of cents outgrow 2^53. */
export interface Contribution {
  readonly windowSize: AnalyticsWindowSize;
  readonly windowStart: Date;
  readonly dimension: AnalyticsDimension;
  readonly dimensionValue: string;
  readonly count: bigint;
  readonly revenue: bigint;
}

/**
 * Everything one validated order adds to the roll-ups: for each window size, one row for its region, one for
 * its channel ('unknown' when it has none) and one per distinct product and per distinct category of its lines
 * (lines of the same product or category are summed). Order: window size, then dimension (region, channel,
 * product, category), then first appearance in the order's lines.
 */
export function orderContributions(order: ValidatedOrderFacts, region: string): Contribution[] {
  const placedAt = new Date(order.placedAt);
  if (Number.isNaN(placedAt.getTime())) throw new RangeError(`placedAt is not a timestamp: ${order.placedAt}`);
  const perDimension: { dimension: AnalyticsDimension; value: string; count: bigint; revenue: bigint }[] = [
    { dimension: 'region', value: region, count: 1n, revenue: BigInt(order.totalCents) },
    { dimension: 'channel', value: order.channel ?? UNKNOWN_CHANNEL, count: 1n, revenue: BigInt(order.totalCents) },
  ];
  const lineSums = (dimension: 'product' | 'category', valueOf: (line: OrderLineFacts) => string) => {
    const sums = new Map<string, { count: bigint; revenue: bigint }>();
    for (const line of order.lines) {
      const value = valueOf(line);
      const sum = sums.get(value) ?? { count: 0n, revenue: 0n };
      const quantity = BigInt(line.quantity);
      sums.set(value, { count: sum.count + quantity, revenue: sum.revenue + quantity * BigInt(line.unitPriceCents) });
    }
    for (const [value, sum] of sums) perDimension.push({ dimension, value, ...sum });
  };
  lineSums('product', (line) => line.productId);
  lineSums('category', (line) => line.category);
  return ANALYTICS_WINDOW_SIZES.flatMap((windowSize) => {
    const start = windowStart(windowSize, placedAt);
    return perDimension.map((d) => ({
      windowSize,
      windowStart: start,
      dimension: d.dimension,
      dimensionValue: d.value,
      count: d.count,
      revenue: d.revenue,
    }));
  });
}
