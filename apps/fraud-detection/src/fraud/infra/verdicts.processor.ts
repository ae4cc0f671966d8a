import {
  Topics,
  withTopicPrefix,
  type FraudAlertRaisedEvent,
  type OrderValidatedEvent,
  type OrderVerdictEvent,
} from '@shop/contracts';
import { Logger } from '@nestjs/common';
import { continueTrace, firstHeadersByKey, firstPerKey, type MaterializedView, type SqlExecutor, type ViewRecord } from '@shop/kafka';
import { chunkLogFields } from '@shop/nest-platform';
import type { ViewDependencies } from '@shop/nest-platform';
import { USERS_VIEW } from '../../users/infra/users.view';
import {
  WINDOW_RULE_SIZES,
  WINDOW_SIZES,
  evaluateOrders,
  windowAlertEventId,
  windowAlertOf,
  windowDeltas,
  windowKey,
  windowsBeforeChunk,
  type FraudAlert,
  type UserFacts,
  type ValidatedOrderFacts,
  type WindowDelta,
  type WindowSize,
  type WindowRule,
  type WindowTotals,
} from '../domain/fraud-rules';

/** Name of the processor: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const VERDICTS_VIEW = 'verdicts';
export const ALERT_SOURCE = 'fraud-detection';

/**
 * Dedupe by orderId: the chunk's orders go into fraud_orders (with the user's facts as the users view has
 * them now); only the rows that were not there come back, with those facts.
 */
const INSERT_FRESH_ORDERS_SQL = `
WITH incoming AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[])
    AS o(order_id, user_id, total_cents, ship_country, placed_at, verdict_event_id)
), fresh AS (
  INSERT INTO fraud_orders (order_id, user_id, total_cents, ship_country, placed_at, verdict_event_id, user_country, user_created_at)
  SELECT o.order_id, o.user_id, o.total_cents, o.ship_country, o.placed_at, o.verdict_event_id, u.country, u.created_at
    FROM incoming o LEFT JOIN fraud_users u ON u.id = o.user_id
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

/**
 * Every stored order of the given windows that already have an alert (`event_id` = the window alert's
 * readable id): what `windowAlertOf` needs to name the window's crossing order by event time.
 */
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
   AND (a.order_id, a.evidence, a.raised_at, a.causation_id) IS DISTINCT FROM (v.order_id, v.evidence, v.raised_at, v.causation_id)`;

interface WindowAlertOrderRow {
  event_id: string;
  order_id: string;
  total_cents: string;
  placed_ms: string;
  verdict_event_id: string;
}

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

export interface VerdictsProcessorOptions {
  /** Bounded wait for the users view before a chunk is joined (ms). */
  readonly usersCatchUpMs: number;
}

function toFacts(event: OrderValidatedEvent): ValidatedOrderFacts {
  const { payload } = event;
  return {
    orderId: payload.orderId,
    userId: payload.userId,
    totalCents: payload.totalCents,
    shipCountry: payload.shippingAddress.country,
    placedAt: payload.placedAt,
    verdictEventId: event.id,
  };
}

/** The validated orders of a chunk, in offset order, each orderId once (the first one wins). */
export function validatedOrders(records: readonly ViewRecord<OrderVerdictEvent>[]): ValidatedOrderFacts[] {
  const validated = records.flatMap((r) => (r.value?.type === 'OrderValidated' ? [r.value] : []));
  return firstPerKey(validated, (e) => e.payload.orderId).map(toFacts);
}

export function alertEnvelope(alert: FraudAlert): FraudAlertRaisedEvent {
  return {
    id: alert.eventId,
    type: 'FraudAlertRaised',
    version: 1,
    occurredAt: alert.raisedAt,
    source: ALERT_SOURCE,
    correlationId: alert.orderId,
    causationId: alert.causationId,
    payload: {
      alertId: alert.alertId,
      userId: alert.userId,
      orderId: alert.orderId,
      rule: alert.rule,
      evidence: alert.evidence as FraudAlertRaisedEvent['payload']['evidence'],
      raisedAt: alert.raisedAt,
    },
  };
}

async function insertFreshOrders(tx: SqlExecutor, orders: readonly ValidatedOrderFacts[]): Promise<FreshRow[]> {
  return tx.$queryRawUnsafe<FreshRow[]>(
    INSERT_FRESH_ORDERS_SQL,
    orders.map((o) => o.orderId),
    orders.map((o) => o.userId),
    orders.map((o) => String(o.totalCents)),
    orders.map((o) => o.shipCountry),
    orders.map((o) => o.placedAt),
    orders.map((o) => o.verdictEventId),
  );
}

async function addToWindows(tx: SqlExecutor, deltas: readonly WindowDelta[]): Promise<Map<string, WindowTotals>> {
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

async function insertAlerts(tx: SqlExecutor, alerts: readonly FraudAlert[]): Promise<Set<string>> {
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

interface TouchedWindow {
  readonly rule: WindowRule;
  readonly userId: string;
  readonly startMs: number;
}

/**
 * Rewrites the stored view of every window alert of the windows this chunk added orders to, from the
 * window's stored orders (`windowAlertOf`: crossing order by event time), so the alerts table is a function
 * of the set of validated orders, whatever order partitions were processed in. Runs after the window rows
 * were upserted: their row locks serialize every transaction adding to a window, and under READ COMMITTED
 * this statement sees every order committed before, so the last writer of a window leaves the final view.
 */
async function refreshWindowAlertViews(tx: SqlExecutor, deltas: readonly WindowDelta[]): Promise<void> {
  const touched = new Map<string, TouchedWindow>();
  for (const delta of deltas) {
    for (const rule of Object.keys(WINDOW_RULE_SIZES) as WindowRule[]) {
      if (WINDOW_RULE_SIZES[rule] !== delta.size) continue;
      touched.set(windowAlertEventId(rule, delta.userId, delta.startMs), { rule, userId: delta.userId, startMs: delta.startMs });
    }
  }
  if (touched.size === 0) return;
  const ids = [...touched.keys()];
  const windows = ids.map((id) => touched.get(id) as TouchedWindow);
  const rows = await tx.$queryRawUnsafe<WindowAlertOrderRow[]>(
    WINDOW_ALERT_ORDERS_SQL,
    ids,
    windows.map((w) => w.userId),
    windows.map((w) => new Date(w.startMs).toISOString()),
    windows.map((w) => new Date(w.startMs + WINDOW_SIZES[WINDOW_RULE_SIZES[w.rule]]).toISOString()),
  );
  if (rows.length === 0) return;
  const ordersByWindow = new Map<string, WindowAlertOrderRow[]>();
  for (const row of rows) ordersByWindow.set(row.event_id, [...(ordersByWindow.get(row.event_id) ?? []), row]);
  const views: FraudAlert[] = [];
  for (const [eventId, windowOrders] of ordersByWindow) {
    const window = touched.get(eventId) as TouchedWindow;
    const view = windowAlertOf(
      window.rule,
      window.userId,
      window.startMs,
      windowOrders.map((r) => ({
        orderId: r.order_id,
        totalCents: Number(r.total_cents),
        placedAt: new Date(Number(r.placed_ms)).toISOString(),
        verdictEventId: r.verdict_event_id,
      })),
    );
    // An alerted window always crosses (orders are never removed); keep the row as it is if not.
    if (view) views.push(view);
  }
  if (views.length === 0) return;
  await tx.$executeRawUnsafe(
    UPDATE_ALERT_VIEWS_SQL,
    views.map((v) => v.eventId),
    views.map((v) => v.orderId),
    views.map((v) => JSON.stringify(v.evidence)),
    views.map((v) => v.raisedAt),
    views.map((v) => v.causationId),
  );
}

/**
 * The verdicts processor: `order-validations` (OrderValidated only) joined with the users view. Per chunk,
 * in the materializer's transaction: wait for the users view → dedupe orders by orderId → add the new ones
 * to their windows (totals before the chunk come back under the row lock) → the pure rules → insert the
 * alerts (ON CONFLICT DO NOTHING) → rewrite the view of the touched windows' alerts to the crossing order by
 * event time → produce FraudAlertRaised for the new ones (named after the order that crossed in processing
 * order) and await the ack, so the commit (rows + position) happens only after the broker has them.
 */
export function verdictsProcessor(deps: ViewDependencies, options: VerdictsProcessorOptions): MaterializedView<OrderVerdictEvent> {
  const alertsTopic = withTopicPrefix(Topics.fraudAlerts, deps.topicPrefix);
  const logger = new Logger('VerdictsProcessor');
  return {
    name: VERDICTS_VIEW,
    topic: withTopicPrefix(Topics.orderValidations, deps.topicPrefix),
    async apply(tx, records) {
      const orders = validatedOrders(records);
      if (orders.length === 0) return;
      // Stream–table join: every user written before now is in the users view (bounded; throws on timeout).
      await deps.materializer(USERS_VIEW).catchUp(options.usersCatchUpMs);

      const freshRows = await insertFreshOrders(tx, orders);
      if (freshRows.length === 0) return; // all redeliveries
      const freshById = new Map(freshRows.map((r) => [r.order_id, r]));
      const fresh = orders.filter((o) => freshById.has(o.orderId));
      const users = new Map<string, UserFacts>();
      for (const order of fresh) {
        const row = freshById.get(order.orderId);
        if (row?.user_country && row.user_created_ms !== null) {
          users.set(order.userId, { country: row.user_country, createdAt: new Date(Number(row.user_created_ms)).toISOString() });
        }
      }

      const deltas = windowDeltas(fresh);
      const before = windowsBeforeChunk(deltas, await addToWindows(tx, deltas));
      const alerts = evaluateOrders(fresh, users, before);

      const inserted = await insertAlerts(tx, alerts);
      const raised = alerts.filter((a) => inserted.has(a.alertId));
      await refreshWindowAlertViews(tx, deltas);
      if (raised.length > 0) {
        // Each alert continues the trace of the verdict of the order that raised it (W3C traceparent header).
        const incoming = firstHeadersByKey(records);
        const traced = raised.map((a) => ({ alert: a, trace: continueTrace('fraud-detection: raise alert', incoming.get(a.orderId)) }));
        await deps.producer.send(
          alertsTopic,
          traced.map(({ alert, trace }) => ({ key: alert.orderId, value: alertEnvelope(alert), headers: trace.headers })),
        );
        logger.log({
          msg: 'fraud alerts raised',
          rules: [...new Set(raised.map((a) => a.rule))],
          ...chunkLogFields(traced.map(({ alert, trace }) => ({ orderId: alert.orderId, traceId: trace.traceId }))),
        });
      }
    },
    async reset(tx) {
      await tx.$executeRawUnsafe('TRUNCATE fraud_orders, fraud_user_windows, fraud_alerts');
    },
  };
}
