import type { AnalyticsDimension, AnalyticsWindowSize } from '@shop/contracts';
import { windowEnd } from './rollups';

/** One stored roll-up row as the repository reads it. */
export interface RollupRow {
  readonly windowStart: Date;
  readonly dimensionValue: string;
  readonly count: bigint;
  readonly revenue: bigint;
}

export interface WindowValue {
  readonly value: string;
  readonly count: number;
  readonly revenueCents: number;
}

export interface WindowReport {
  /** ISO-8601 (UTC); null for the running totals. */
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly values: readonly WindowValue[];
}

/** `GET /analytics/windows` */
export interface WindowsReport {
  readonly size: AnalyticsWindowSize;
  readonly dimension: AnalyticsDimension;
  readonly from: string | null;
  readonly to: string | null;
  readonly windows: readonly WindowReport[];
}

/** `GET /analytics/totals` */
export interface TotalsReport {
  readonly orders: { readonly validated: number; readonly rejected: number };
  /** Revenue of the validated orders (Σ totalCents). */
  readonly revenueCents: number;
  readonly shipments: number;
  readonly fraudAlerts: { readonly total: number; readonly byRule: Readonly<Record<string, number>> };
}

/**
 * bigint counts as JSON numbers. Exact up to 2^53 − 1 (90 trillion in cents); past that the number would
 * silently lose precision, so it is refused instead.
 */
export function toJsonNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${value} does not fit a JSON number exactly`);
  }
  return Number(value);
}

/**
 * Groups rows (any order) into windows ordered by start, each with its values ordered by name: the same
 * rows always give the same JSON, whatever order the database returned them in.
 */
export function windowsReport(
  size: AnalyticsWindowSize,
  dimension: AnalyticsDimension,
  from: Date | null,
  to: Date | null,
  rows: readonly RollupRow[],
): WindowsReport {
  const byStart = new Map<number, RollupRow[]>();
  for (const row of rows) {
    const key = row.windowStart.getTime();
    const list = byStart.get(key) ?? [];
    list.push(row);
    byStart.set(key, list);
  }
  const windows = [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, list]) => ({
      windowStart: size === 'total' ? null : new Date(start).toISOString(),
      windowEnd: windowEnd(size, new Date(start))?.toISOString() ?? null,
      values: [...list]
        .sort((a, b) => (a.dimensionValue < b.dimensionValue ? -1 : a.dimensionValue > b.dimensionValue ? 1 : 0))
        .map((r) => ({ value: r.dimensionValue, count: toJsonNumber(r.count), revenueCents: toJsonNumber(r.revenue) })),
    }));
  return { size, dimension, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null, windows };
}

export interface StoredTotals {
  readonly verdicts: readonly { readonly outcome: string; readonly orders: bigint; readonly revenueCents: bigint }[];
  readonly shipments: bigint;
  readonly alerts: readonly { readonly rule: string; readonly count: bigint }[];
}

/** The totals from the stored counters; anything not counted yet is 0. Rules are listed in name order. */
export function totalsReport(stored: StoredTotals): TotalsReport {
  const outcome = (name: string) => stored.verdicts.find((v) => v.outcome === name);
  const rules = [...stored.alerts].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return {
    orders: {
      validated: toJsonNumber(outcome('validated')?.orders ?? 0n),
      rejected: toJsonNumber(outcome('rejected')?.orders ?? 0n),
    },
    revenueCents: toJsonNumber(outcome('validated')?.revenueCents ?? 0n),
    shipments: toJsonNumber(stored.shipments),
    fraudAlerts: {
      total: toJsonNumber(rules.reduce((sum, r) => sum + r.count, 0n)),
      byRule: Object.fromEntries(rules.map((r) => [r.rule, toJsonNumber(r.count)])),
    },
  };
}
