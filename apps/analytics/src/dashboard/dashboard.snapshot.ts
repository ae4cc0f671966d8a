import type { ViewCheck } from '@shop/nest-platform';
import type { TotalsReport, WindowReport, WindowValue } from '../rollups/domain/reports';
import type { ServiceState } from './service-watch';

/** How many one-minute windows the orders-per-minute chart shows. */
export const CHART_MINUTES = 30;
const MINUTE_MS = 60_000;

export interface MinutePoint {
  /** ISO-8601 (UTC) start of the one-minute window. */
  readonly windowStart: string;
  readonly orders: number;
  readonly revenueCents: number;
}

export interface DimensionTotal {
  readonly value: string;
  readonly count: number;
  readonly revenueCents: number;
}

export interface ViewFreshness {
  readonly view: string;
  readonly topic: string | null;
  readonly status: string;
  readonly lag: number | null;
  /** When the view last stored a position (latest over its partitions); null before its first record. */
  readonly lastWriteAt: string | null;
}

/** What `GET /dashboard/events` pushes (and `GET /dashboard/snapshot` answers). */
export interface DashboardSnapshot {
  readonly at: string;
  /** Exactly `GET /analytics/totals`. */
  readonly totals: TotalsReport;
  /** The last CHART_MINUTES one-minute windows ending with the latest window present (event time), oldest first. */
  readonly ordersPerMinute: readonly MinutePoint[];
  /** Running totals, highest revenue first. */
  readonly revenueByRegion: readonly DimensionTotal[];
  readonly revenueByCategory: readonly DimensionTotal[];
  readonly views: readonly ViewFreshness[];
  /** The operations table: each watched service's readiness, lag and restarts (empty unless DASHBOARD_SERVICES is set). */
  readonly services: readonly ServiceHealth[];
}

export interface ServiceHealth {
  readonly name: string;
  readonly state: ServiceState['state'];
  readonly lag: number | null;
  readonly restarts: number;
  readonly uptimeSeconds: number | null;
}

/**
 * The chart's range comes from the data, not the wall clock: event time is the order's placedAt, which can
 * lie in the future (the load generator shifts its scenario to "now" in monolith mode). Returns the first
 * window start to read, or null when there is no window yet.
 */
export function chartFrom(latestWindowStart: Date | null, minutes = CHART_MINUTES): Date | null {
  return latestWindowStart ? new Date(latestWindowStart.getTime() - (minutes - 1) * MINUTE_MS) : null;
}

/**
 * One-minute windows by region → orders and revenue per minute for the `minutes` windows ending with the
 * latest one present; minutes without orders are 0. Every validated order counts 1 in exactly one region.
 */
export function ordersPerMinute(windows: readonly WindowReport[], minutes = CHART_MINUTES): MinutePoint[] {
  const byStart = new Map<number, { orders: number; revenueCents: number }>();
  for (const w of windows) {
    if (w.windowStart === null) continue;
    const sum = w.values.reduce((acc, v) => ({ orders: acc.orders + v.count, revenueCents: acc.revenueCents + v.revenueCents }), {
      orders: 0,
      revenueCents: 0,
    });
    byStart.set(Date.parse(w.windowStart), sum);
  }
  if (byStart.size === 0) return [];
  const latest = Math.max(...byStart.keys());
  const points: MinutePoint[] = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const start = latest - i * MINUTE_MS;
    const found = byStart.get(start);
    points.push({ windowStart: new Date(start).toISOString(), orders: found?.orders ?? 0, revenueCents: found?.revenueCents ?? 0 });
  }
  return points;
}

/** The running-total window's values, highest revenue first (then by name). */
export function rankedByRevenue(values: readonly WindowValue[]): DimensionTotal[] {
  return [...values]
    .map((v) => ({ value: v.value, count: v.count, revenueCents: v.revenueCents }))
    .sort((a, b) => b.revenueCents - a.revenueCents || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** /health's view checks, reduced to what the page shows. */
export function viewFreshness(checks: readonly ViewCheck[]): ViewFreshness[] {
  return checks.map((c) => {
    const writes = c.partitions.map((p) => p.updatedAt).filter((at): at is string => at !== null);
    const last = writes.length > 0 ? writes.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null;
    return { view: c.view, topic: c.topic, status: c.status, lag: c.lag, lastWriteAt: last };
  });
}
