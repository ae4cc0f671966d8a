import type { UsersAsOf } from '@shop/contracts';
import { readUsersAsOf, type SqlExecutor } from '@shop/kafka';
import { USERS_VIEW_TABLE } from '../../users/infra/users.view';
import {
  windowKey,
  type FraudAlert,
  type UserFacts,
  type ValidatedOrderFacts,
  type WindowDelta,
  type WindowSize,
  type WindowTotals,
} from '../domain/fraud-rules';
import type { TouchedWindow, WindowOrder } from '../domain/window-alerts';

/** The fraud processor's SQL: set-based statements inside the view's transaction, one per step of a chunk. */

/**
 * Dedupe by orderId: the chunk's orders go into fraud_orders with the user's facts as of each order (read
 * before from the versioned users view); only the rows that were not there come back, with those facts.
 */
const INSERT_FRESH_ORDERS_SQL = `
WITH fresh AS (
  INSERT INTO fraud_orders (order_id, user_id, total_cents, ship_country, placed_at, verdict_event_id, user_country, user_created_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::timestamptz[])
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id, user_country, (extract(epoch FROM user_created_at) * 1000)::bigint::text AS user_created_ms
)
SELECT order_id, user_country, user_created_ms FROM fresh`;

/**
 * Adds the chunk to its windows. ON CONFLICT DO UPDATE locks each row and sees the latest committed totals,
 * so the returned totals minus the chunk's additions are exactly the window before this chunk, even with
 * other partitions' transactions writing the same user's windows (rows come sorted: no deadlocks).
 */
const UPSERT_WINDOWS_SQL = `
INSERT INTO fraud_user_windows (user_id, window_size, window_start, order_count, total_cents)
SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::bigint[])
ON CONFLICT (user_id, window_size, window_start) DO UPDATE
  SET order_count = fraud_user_windows.order_count + EXCLUDED.order_count,
      total_cents = fraud_user_windows.total_cents + EXCLUDED.total_cents
RETURNING user_id, window_size, (extract(epoch FROM window_start) * 1000)::bigint::text AS start_ms,
          order_count::text AS order_count, total_cents::text AS total_cents`;

const INSERT_ALERTS_SQL = `
INSERT INTO fraud_alerts (alert_id, event_id, rule, user_id, order_id, evidence, raised_at, causation_id)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[], $8::text[])
ON CONFLICT (alert_id) DO NOTHING
RETURNING alert_id`;

/** Every stored order of the given windows that already have an alert (`event_id` = the window alert's readable id). */
const WINDOW_ALERT_ORDERS_SQL = `
SELECT w.event_id, o.order_id, o.total_cents::text AS total_cents,
       (extract(epoch FROM o.placed_at) * 1000)::bigint::text AS placed_ms, o.verdict_event_id
  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS w(event_id, user_id, window_start, window_end)
  JOIN fraud_alerts a ON a.event_id = w.event_id
  JOIN fraud_orders o ON o.user_id = w.user_id AND o.placed_at >= w.window_start AND o.placed_at < w.window_end`;

const UPDATE_ALERT_VIEWS_SQL = `
UPDATE fraud_alerts a
   SET order_id = v.order_id, evidence = v.evidence, raised_at = v.raised_at, causation_id = v.causation_id
  FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[], $5::text[])
    AS v(event_id, order_id, evidence, raised_at, causation_id)
 WHERE a.event_id = v.event_id
   AND (a.order_id, a.evidence, a.raised_at, a.causation_id) IS DISTINCT FROM (v.order_id, v.evidence, v.raised_at, v.causation_id)
RETURNING a.event_id`;

/** The tables of the view, emptied by a rebuild. */
export const FRAUD_TABLES = ['fraud_orders', 'fraud_user_windows', 'fraud_alerts'] as const;

interface FreshRow {
  order_id: string;
  user_country: string | null;
  user_created_ms: string | null;
}

interface WindowRow {
  user_id: string;
  window_size: string;
  start_ms: string;
  order_count: string;
  total_cents: string;
}

interface WindowAlertOrderRow {
  event_id: string;
  order_id: string;
  total_cents: string;
  placed_ms: string;
  verdict_event_id: string;
}

/** The orders not stored before, each with its user's facts as the users view has them (when it knows the user). */
export async function insertFreshOrders(
  tx: SqlExecutor,
  orders: readonly (ValidatedOrderFacts & { readonly usersAsOf: UsersAsOf })[],
): Promise<{ fresh: ValidatedOrderFacts[]; users: Map<string, UserFacts> }> {
  const versions = await readUsersAsOf(
    tx,
    USERS_VIEW_TABLE,
    orders.map((o) => ({ key: o.userId, asOf: o.usersAsOf })),
    ['country', 'created_at'],
  );
  const rows = await tx.$queryRawUnsafe<FreshRow[]>(
    INSERT_FRESH_ORDERS_SQL,
    orders.map((o) => o.orderId),
    orders.map((o) => o.userId),
    orders.map((o) => String(o.totalCents)),
    orders.map((o) => o.shipCountry),
    orders.map((o) => o.placedAt),
    orders.map((o) => o.verdictEventId),
    versions.map((v) => v?.country ?? null),
    versions.map((v) => v?.created_at?.toISOString() ?? null),
  );
  const byId = new Map(rows.map((r) => [r.order_id, r]));
  const fresh = orders.filter((o) => byId.has(o.orderId));
  // By order id: two orders of one user may meet two versions of the user.
  const users = new Map<string, UserFacts>();
  for (const order of fresh) {
    const row = byId.get(order.orderId);
    if (row?.user_country && row.user_created_ms !== null) {
      users.set(order.orderId, { country: row.user_country, createdAt: new Date(Number(row.user_created_ms)).toISOString() });
    }
  }
  return { fresh, users };
}

/** Adds the deltas to their windows; returns each window's totals after them (see windowsBeforeChunk). */
export async function addToWindows(tx: SqlExecutor, deltas: readonly WindowDelta[]): Promise<Map<string, WindowTotals>> {
  const rows = await tx.$queryRawUnsafe<WindowRow[]>(
    UPSERT_WINDOWS_SQL,
    deltas.map((d) => d.userId),
    deltas.map((d) => d.size),
    deltas.map((d) => new Date(d.startMs).toISOString()),
    deltas.map((d) => String(d.orderCount)),
    deltas.map((d) => String(d.totalCents)),
  );
  return new Map(
    rows.map((r) => [
      windowKey(r.user_id, r.window_size as WindowSize, Number(r.start_ms)),
      { orderCount: Number(r.order_count), totalCents: Number(r.total_cents) },
    ]),
  );
}

/** Inserts the alerts that are not there yet; returns the ids it inserted. */
export async function insertAlerts(tx: SqlExecutor, alerts: readonly FraudAlert[]): Promise<Set<string>> {
  if (alerts.length === 0) return new Set();
  const rows = await tx.$queryRawUnsafe<{ alert_id: string }[]>(
    INSERT_ALERTS_SQL,
    alerts.map((a) => a.alertId),
    alerts.map((a) => a.eventId),
    alerts.map((a) => a.rule),
    alerts.map((a) => a.userId),
    alerts.map((a) => a.orderId),
    alerts.map((a) => JSON.stringify(a.evidence)),
    alerts.map((a) => a.raisedAt),
    alerts.map((a) => a.causationId),
  );
  return new Set(rows.map((r) => r.alert_id));
}

/** The stored orders of every window that already has an alert, by the alert's event id. */
export async function ordersOfAlertedWindows(tx: SqlExecutor, windows: readonly TouchedWindow[]): Promise<Map<string, WindowOrder[]>> {
  if (windows.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<WindowAlertOrderRow[]>(
    WINDOW_ALERT_ORDERS_SQL,
    windows.map((w) => w.eventId),
    windows.map((w) => w.userId),
    windows.map((w) => new Date(w.startMs).toISOString()),
    windows.map((w) => new Date(w.endMs).toISOString()),
  );
  const byWindow = new Map<string, WindowOrder[]>();
  for (const r of rows) {
    const order = {
      orderId: r.order_id,
      totalCents: Number(r.total_cents),
      placedAt: new Date(Number(r.placed_ms)).toISOString(),
      verdictEventId: r.verdict_event_id,
    };
    byWindow.set(r.event_id, [...(byWindow.get(r.event_id) ?? []), order]);
  }
  return byWindow;
}

/** Rewrites the stored alerts whose view changed (same event id, another crossing order or evidence); returns their event ids. */
export async function updateAlertViews(tx: SqlExecutor, views: readonly FraudAlert[]): Promise<Set<string>> {
  if (views.length === 0) return new Set();
  const rows = await tx.$queryRawUnsafe<{ event_id: string }[]>(
    UPDATE_ALERT_VIEWS_SQL,
    views.map((v) => v.eventId),
    views.map((v) => v.orderId),
    views.map((v) => JSON.stringify(v.evidence)),
    views.map((v) => v.raisedAt),
    views.map((v) => v.causationId),
  );
  return new Set(rows.map((r) => r.event_id));
}
