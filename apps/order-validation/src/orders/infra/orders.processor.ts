import { Topics, withTopicPrefix, type OrderPlacedEvent, type OrderVerdictEvent } from '@shop/contracts';
import { Logger } from '@nestjs/common';
import { continueTrace, firstHeadersByKey, firstPerKey, type EventProducer, type MaterializedView, type SqlExecutor, type ViewRecord } from '@shop/kafka';
import { chunkLogFields } from '@shop/nest-platform';
import { readUserSnapshots } from '../../users/infra/users.view';
import { verdictEvent } from '../domain/order-events';
import { evaluateOrder, type Verdict } from '../domain/order-rules';
import type { VerdictNotifier } from './verdict.notifier';

/** Name of the processor's view (positions, consumer group `<prefix>order-validation.orders`). */
export const ORDERS_VIEW = 'orders';
export const ORDERS_TABLE = 'orders';

export interface OrdersProcessorDependencies {
  readonly topicPrefix: string;
  /** Schema-checked producer; the verdicts are on the broker before the chunk's transaction commits. */
  readonly producer: Pick<EventProducer, 'send'>;
  /** The users view's materializer (looked up when a chunk runs). */
  readonly usersView: () => { catchUp(timeoutMs?: number): Promise<void> };
  /** The stream–table join waits at most this long for the users view (inside the chunk's transaction). */
  readonly usersCatchUpMs: number;
  readonly notifier?: VerdictNotifier;
}

/**
 * One statement for the whole chunk: a verdict row per order, skipping orders that already have one
 * (a redelivered OrderPlaced); RETURNING tells which rows are new, and only those get a verdict event.
 */
const INSERT_VERDICTS = `
  INSERT INTO ${ORDERS_TABLE}
    (order_id, user_id, status, reasons, shipping_address, total_cents, currency, placed_at, verdict_at, placed_event_id)
  SELECT * FROM unnest(
    $1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::bigint[], $7::text[],
    $8::timestamptz[], $9::timestamptz[], $10::text[])
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id`;

interface Judged {
  readonly placed: OrderPlacedEvent;
  readonly verdict: Verdict;
  readonly event: OrderVerdictEvent;
}

/**
 * The orders processor: for every OrderPlaced on `orders`, joins the user from the users view, applies the
 * rules (domain/order-rules.ts), stores the verdict and produces OrderValidated / OrderRejected on
 * `order-validations`, all for one chunk in the materializer's transaction. A crash after the produce and
 * before the commit replays the chunk and produces the same events again (same ids, same content).
 */
export function ordersProcessor(deps: OrdersProcessorDependencies): MaterializedView<OrderPlacedEvent> {
  const verdictsTopic = withTopicPrefix(Topics.orderValidations, deps.topicPrefix);
  const logger = new Logger('OrdersProcessor');
  return {
    name: ORDERS_VIEW,
    topic: withTopicPrefix(Topics.orders, deps.topicPrefix),
    async apply(tx: SqlExecutor, records: readonly ViewRecord<OrderPlacedEvent>[]): Promise<void> {
      const placed = firstPerKey(records.flatMap((r) => (r.value ? [r.value] : [])), (e) => e.payload.orderId);
      if (placed.length === 0) return;

      // Stream–table join: a user written to `users` before this order was placed is in the view now.
      await deps.usersView().catchUp(deps.usersCatchUpMs);
      const users = await readUserSnapshots(tx, [...new Set(placed.map((e) => e.payload.userId))]);

      const judged: Judged[] = placed.map((e) => {
        const verdict = evaluateOrder(e.payload, users.get(e.payload.userId));
        return { placed: e, verdict, event: verdictEvent(e, verdict) };
      });
      const inserted = await tx.$queryRawUnsafe<{ order_id: string }[]>(
        INSERT_VERDICTS,
        judged.map((j) => j.placed.payload.orderId),
        judged.map((j) => j.placed.payload.userId),
        judged.map((j) => j.verdict.status),
        judged.map((j) => JSON.stringify(j.verdict.status === 'rejected' ? j.verdict.reasons : [])),
        judged.map((j) => (j.verdict.status === 'validated' ? JSON.stringify(j.verdict.shippingAddress) : null)),
        judged.map((j) => String(j.placed.payload.totalCents)),
        judged.map((j) => j.placed.payload.currency),
        judged.map((j) => j.placed.payload.placedAt),
        // Verdict time = event time (placedAt), see domain/order-events.ts: a rebuild writes identical rows.
        judged.map((j) => j.placed.payload.placedAt),
        judged.map((j) => j.placed.id),
      );
      const fresh = new Set(inserted.map((r) => r.order_id));
      const toProduce = judged.filter((j) => fresh.has(j.placed.payload.orderId));
      if (toProduce.length === 0) return;
      // Each verdict continues the trace of its OrderPlaced record (W3C traceparent in the headers).
      const incoming = firstHeadersByKey(records);
      const traced = toProduce.map((j) => ({ judged: j, trace: continueTrace('order-validation: validate order', incoming.get(j.placed.payload.orderId)) }));
      await deps.producer.send(
        verdictsTopic,
        traced.map(({ judged, trace }) => ({ key: judged.placed.payload.orderId, value: judged.event, headers: trace.headers })),
      );
      deps.notifier?.publish(toProduce.map((j) => j.placed.payload.orderId));
      logger.log({
        msg: 'verdicts produced',
        validated: toProduce.filter((j) => j.verdict.status === 'validated').length,
        rejected: toProduce.filter((j) => j.verdict.status === 'rejected').length,
        ...chunkLogFields(traced.map(({ judged, trace }) => ({ orderId: judged.placed.payload.orderId, traceId: trace.traceId }))),
      });
    },
    async reset(tx: SqlExecutor): Promise<void> {
      await tx.$executeRawUnsafe(`TRUNCATE ${ORDERS_TABLE}`);
    },
  };
}
