import { createHash } from 'node:crypto';
import type { FraudRule } from '@shop/contracts';

/**
 * The fraud rules of docs/services.md ("fraud-detection"), pure: no Nest, Prisma or Kafka. Everything runs
 * on event time (the order's `placedAt`), so replaying the log gives the same alerts.
 *
 * | rule                      | fires when                                                                  | alert id (readable)                  |
 * |---------------------------|-----------------------------------------------------------------------------|--------------------------------------|
 * | velocity                  | a user has more than 5 validated orders in one 10-minute tumbling window    | `<userId>:velocity:<windowStart ISO>` |
 * | amount                    | a user's validated orders in one 1-hour tumbling window total > 500,000 ¢   | `<userId>:amount:<windowStart ISO>`   |
 * | country-mismatch          | the order ships to a country other than the user's                          | `<orderId>:country-mismatch`          |
 * | new-account-large-order   | total ≥ 100,000 ¢ and the account is less than 24 h old at `placedAt`       | `<orderId>:new-account-large-order`   |
 *
 * Window rules fire on the order that makes the window CROSS its threshold (value before ≤ threshold <
 * value after) in processing order, so each window fires (is produced) at most once whatever the processing
 * order. The stored view of a window alert is `windowAlertOf`: the crossing order by event time, the same
 * after any replay.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Window sizes of the window rules: 10 minutes (velocity), 1 hour (amount). */
export const WINDOW_SIZES = { '10m': 10 * MINUTE_MS, '1h': HOUR_MS } as const;
export type WindowSize = keyof typeof WINDOW_SIZES;

export const VELOCITY_WINDOW: WindowSize = '10m';
/** velocity fires on more than this many validated orders in one window. */
export const VELOCITY_MAX_ORDERS = 5;
export const AMOUNT_WINDOW: WindowSize = '1h';
/** amount fires when the window's total exceeds this (cents). */
export const AMOUNT_MAX_TOTAL_CENTS = 500_000;
/** new-account-large-order: orders of at least this total (cents)… */
export const LARGE_ORDER_MIN_CENTS = 100_000;
/** …placed while the account is younger than this. */
export const NEW_ACCOUNT_MAX_AGE_MS = 24 * HOUR_MS;

/** Longest alertId the contracts accept (idSchema). */
export const MAX_ALERT_ID_LENGTH = 64;

/** What the rules need of one validated order (from an OrderValidated envelope). */
export interface ValidatedOrderFacts {
  readonly orderId: string;
  readonly userId: string;
  readonly totalCents: number;
  /** Country the order ships to (resolved by order-validation). */
  readonly shipCountry: string;
  /** Event time, ISO-8601. */
  readonly placedAt: string;
  /** Id of the verdict event (causationId of the alerts it raises). */
  readonly verdictEventId: string;
}

/** What the rules need of the user (users view), if the view has the user. */
export interface UserFacts {
  readonly country: string;
  /** ISO-8601. */
  readonly createdAt: string;
}

export interface WindowTotals {
  readonly orderCount: number;
  readonly totalCents: number;
}

export interface WindowDelta extends WindowTotals {
  readonly userId: string;
  readonly size: WindowSize;
  /** Window start, ms since the epoch (UTC-aligned). */
  readonly startMs: number;
}

export type EvidenceValue = string | number | boolean | string[];

export interface FraudAlert {
  /** Contract-safe id (letters, digits, '_' and '-', ≤ 64): the payload's `alertId` and the table's key. */
  readonly alertId: string;
  /** The readable id of docs/services.md: the envelope id. */
  readonly eventId: string;
  readonly rule: FraudRule;
  readonly userId: string;
  readonly orderId: string;
  readonly evidence: Readonly<Record<string, EvidenceValue>>;
  /** = the order's placedAt (normalized ISO), so a rebuild raises the same alert. */
  readonly raisedAt: string;
  /** The verdict event that caused it. */
  readonly causationId: string;
}

const ZERO: WindowTotals = { orderCount: 0, totalCents: 0 };

/** Milliseconds since the epoch of an ISO-8601 timestamp; throws on an unparsable one. */
export function eventTimeMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 timestamp: "${iso}"`);
  return ms;
}

/** Start of the UTC-aligned tumbling window of `sizeMs` that holds `eventMs` (start inclusive, end exclusive). */
export function windowStartMs(eventMs: number, sizeMs: number): number {
  return Math.floor(eventMs / sizeMs) * sizeMs;
}

/** The value moved from at-or-below `threshold` to above it. */
export function crossesThreshold(before: number, after: number, threshold: number): boolean {
  return before <= threshold && after > threshold;
}

export function windowKey(userId: string, size: WindowSize, startMs: number): string {
  return `${userId}|${size}|${startMs}`;
}

/**
 * The per-window additions of `orders` (each order counts once in its 10-minute and its 1-hour window),
 * sorted by user, size and start: writers that lock window rows in this order do not deadlock.
 */
export function windowDeltas(orders: readonly ValidatedOrderFacts[]): WindowDelta[] {
  const byKey = new Map<string, WindowDelta>();
  for (const order of orders) {
    const placedMs = eventTimeMs(order.placedAt);
    for (const size of Object.keys(WINDOW_SIZES) as WindowSize[]) {
      const startMs = windowStartMs(placedMs, WINDOW_SIZES[size]);
      const key = windowKey(order.userId, size, startMs);
      const current = byKey.get(key) ?? { userId: order.userId, size, startMs, orderCount: 0, totalCents: 0 };
      byKey.set(key, { ...current, orderCount: current.orderCount + 1, totalCents: current.totalCents + order.totalCents });
    }
  }
  return [...byKey.values()].sort((a, b) => compare(a.userId, b.userId) || compare(a.size, b.size) || a.startMs - b.startMs);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The contract-safe alertId of a readable alert id: every character outside letters, digits, '_' and '-'
 * (the ':' and '.' of `<userId>:velocity:2026-11-25T10:00:00.000Z`) becomes '-'. Ids longer than 64 (long
 * user or order ids) keep a prefix and end in 16 hex digits of the readable id's SHA-256: still
 * deterministic, still unique in practice.
 */
export function safeAlertId(eventId: string): string {
  const safe = eventId.replace(/[^A-Za-z0-9_-]/g, '-');
  if (safe.length <= MAX_ALERT_ID_LENGTH) return safe;
  const digest = createHash('sha256').update(eventId, 'utf8').digest('hex').slice(0, 16);
  return `${safe.slice(0, MAX_ALERT_ID_LENGTH - digest.length - 1)}-${digest}`;
}

function alert(order: ValidatedOrderFacts, rule: FraudRule, eventId: string, evidence: Record<string, EvidenceValue>): FraudAlert {
  return {
    alertId: safeAlertId(eventId),
    eventId,
    rule,
    userId: order.userId,
    orderId: order.orderId,
    evidence,
    raisedAt: new Date(eventTimeMs(order.placedAt)).toISOString(),
    causationId: order.verdictEventId,
  };
}

function windowEvidence(size: WindowSize, startMs: number, totals: WindowTotals): Record<string, EvidenceValue> {
  return {
    windowSize: size,
    windowStart: new Date(startMs).toISOString(),
    windowEnd: new Date(startMs + WINDOW_SIZES[size]).toISOString(),
    orderCount: totals.orderCount,
    totalCents: totals.totalCents,
  };
}

export type WindowRule = Extract<FraudRule, 'velocity' | 'amount'>;

/** The window size each window rule watches. */
export const WINDOW_RULE_SIZES: Readonly<Record<WindowRule, WindowSize>> = { velocity: VELOCITY_WINDOW, amount: AMOUNT_WINDOW };

/** The readable id (envelope id) of a window alert: `<userId>:<rule>:<windowStart ISO>`. */
export function windowAlertEventId(rule: WindowRule, userId: string, startMs: number): string {
  return `${userId}:${rule}:${new Date(startMs).toISOString()}`;
}

/** A window alert named after `order`, with the window's totals up to and including it as evidence. */
function windowAlert(rule: WindowRule, order: ValidatedOrderFacts, startMs: number, totals: WindowTotals): FraudAlert {
  const size = WINDOW_RULE_SIZES[rule];
  const limit: Record<string, EvidenceValue> =
    rule === 'velocity' ? { maxOrders: VELOCITY_MAX_ORDERS } : { maxTotalCents: AMOUNT_MAX_TOTAL_CENTS };
  return alert(order, rule, windowAlertEventId(rule, order.userId, startMs), { ...windowEvidence(size, startMs, totals), ...limit });
}

/**
 * The view of a window alert, a function of the SET of the window's orders (not of processing order): the
 * window's crossing order by EVENT TIME. The orders are sorted by (`placedAt`, `orderId`); for `velocity`
 * it is the (5+1)-th, for `amount` the first at which the running total exceeds 500,000 cents. `raisedAt`
 * is its placedAt, `causationId` its verdict, and the evidence counts the window's orders up to and
 * including it. `undefined` when the window's orders do not cross the threshold. `orders` must all be the
 * user's orders of the window starting at `startMs` (of the rule's size), each once.
 */
export function windowAlertOf(
  rule: WindowRule,
  userId: string,
  startMs: number,
  orders: readonly Omit<ValidatedOrderFacts, 'shipCountry' | 'userId'>[],
): FraudAlert | undefined {
  const sorted = orders
    .map((order) => ({ order, placedMs: eventTimeMs(order.placedAt) }))
    .sort((a, b) => a.placedMs - b.placedMs || compare(a.order.orderId, b.order.orderId));
  let totals = ZERO;
  for (const { order } of sorted) {
    const after = { orderCount: totals.orderCount + 1, totalCents: totals.totalCents + order.totalCents };
    const crossed =
      rule === 'velocity'
        ? crossesThreshold(totals.orderCount, after.orderCount, VELOCITY_MAX_ORDERS)
        : crossesThreshold(totals.totalCents, after.totalCents, AMOUNT_MAX_TOTAL_CENTS);
    if (crossed) return windowAlert(rule, { ...order, userId, shipCountry: '' }, startMs, after);
    totals = after;
  }
  return undefined;
}

/** `country-mismatch`: the order ships to another country than the user's. Unknown user: no judgement. */
export function countryMismatch(order: ValidatedOrderFacts, user: UserFacts | undefined): FraudAlert | undefined {
  if (!user || order.shipCountry === user.country) return undefined;
  return alert(order, 'country-mismatch', `${order.orderId}:country-mismatch`, {
    shippingCountry: order.shipCountry,
    userCountry: user.country,
  });
}

/**
 * `new-account-large-order`: total ≥ 100,000 cents while the account is less than 24 h old at `placedAt`
 * (an account created after `placedAt` is younger still). Unknown user: no judgement.
 */
export function newAccountLargeOrder(order: ValidatedOrderFacts, user: UserFacts | undefined): FraudAlert | undefined {
  if (!user || order.totalCents < LARGE_ORDER_MIN_CENTS) return undefined;
  const ageMs = eventTimeMs(order.placedAt) - eventTimeMs(user.createdAt);
  if (ageMs >= NEW_ACCOUNT_MAX_AGE_MS) return undefined;
  return alert(order, 'new-account-large-order', `${order.orderId}:new-account-large-order`, {
    totalCents: order.totalCents,
    minTotalCents: LARGE_ORDER_MIN_CENTS,
    accountCreatedAt: new Date(eventTimeMs(user.createdAt)).toISOString(),
    accountAgeSeconds: Math.floor(ageMs / 1000),
    maxAccountAgeHours: NEW_ACCOUNT_MAX_AGE_MS / HOUR_MS,
  });
}

/**
 * Every alert raised by `orders` (new, deduped orders of one chunk, in offset order) given each window's
 * totals before the chunk (`windowsBefore`, by windowKey; missing = empty window) and each order's user as of
 * the order (`userOf`: the versioned users view; undefined = unknown then).
 * Orders of the same window within the chunk are applied one by one, so the order that crosses the
 * threshold is the one that fires, exactly once.
 */
export function evaluateOrders(
  orders: readonly ValidatedOrderFacts[],
  userOf: (order: ValidatedOrderFacts) => UserFacts | undefined,
  windowsBefore: ReadonlyMap<string, WindowTotals>,
): FraudAlert[] {
  const running = new Map<string, WindowTotals>();
  const alerts: FraudAlert[] = [];
  const advance = (order: ValidatedOrderFacts, size: WindowSize) => {
    const startMs = windowStartMs(eventTimeMs(order.placedAt), WINDOW_SIZES[size]);
    const key = windowKey(order.userId, size, startMs);
    const before = running.get(key) ?? windowsBefore.get(key) ?? ZERO;
    const after = { orderCount: before.orderCount + 1, totalCents: before.totalCents + order.totalCents };
    running.set(key, after);
    return { startMs, before, after };
  };
  for (const order of orders) {
    const velocity = advance(order, VELOCITY_WINDOW);
    if (crossesThreshold(velocity.before.orderCount, velocity.after.orderCount, VELOCITY_MAX_ORDERS)) {
      alerts.push(windowAlert('velocity', order, velocity.startMs, velocity.after));
    }
    const amount = advance(order, AMOUNT_WINDOW);
    if (crossesThreshold(amount.before.totalCents, amount.after.totalCents, AMOUNT_MAX_TOTAL_CENTS)) {
      alerts.push(windowAlert('amount', order, amount.startMs, amount.after));
    }
    const user = userOf(order);
    for (const fired of [countryMismatch(order, user), newAccountLargeOrder(order, user)]) {
      if (fired) alerts.push(fired);
    }
  }
  return alerts;
}

/**
 * The totals each window had before a chunk, from its totals after the chunk's additions (what an
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` gives back under the row lock) minus those additions.
 */
export function windowsBeforeChunk(deltas: readonly WindowDelta[], after: ReadonlyMap<string, WindowTotals>): Map<string, WindowTotals> {
  const before = new Map<string, WindowTotals>();
  for (const delta of deltas) {
    const key = windowKey(delta.userId, delta.size, delta.startMs);
    const total = after.get(key);
    if (!total) throw new Error(`window ${key} was not written`);
    before.set(key, { orderCount: total.orderCount - delta.orderCount, totalCents: total.totalCents - delta.totalCents });
  }
  return before;
}
