import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type OrderPlacedEvent, type OrderVerdictEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { readUserSnapshots, USERS_VIEW } from '../../users/infra/users.view';
import { verdictEvent } from '../domain/order-events';
import { evaluateOrder, type Verdict } from '../domain/order-rules';
import { VerdictNotifier } from './verdict.notifier';

/** Name of the processor's view (positions, consumer group `<prefix>order-validation.orders`). */
export const ORDERS_VIEW = 'orders';
export const ORDERS_TABLE = 'orders';

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
 * The orders processor: for every OrderPlaced on `orders`, joins the user as of the order's position from the
 * versioned users view, applies the rules (domain/order-rules.ts), stores the verdict and produces OrderValidated / OrderRejected on
 * `order-validations`, all for one chunk in the view's transaction. A crash after the produce and before
 * the commit replays the chunk and produces the same events again (same ids, same content).
 */
@Controller()
export class OrdersProcessor {
  constructor(private readonly notifier: VerdictNotifier) {}

  @ViewHandler({
    view: ORDERS_VIEW,
    topic: Topics.orders,
    joins: [USERS_VIEW],
    produces: [Topics.orderValidations],
    tables: [ORDERS_TABLE],
    span: 'order-validation: validate order',
  })
  async onOrders(@Payload() chunk: ViewChunk<OrderPlacedEvent>): Promise<void> {
    const placed = chunk.firstPerKey();
    if (placed.length === 0) return;
    // Each order meets its user as of the order's users-as-of position (the users topic when it was placed).
    const users = await readUserSnapshots(
      chunk.tx,
      placed.map((e) => ({ key: e.payload.userId, asOf: chunk.usersAsOf(e.payload.orderId) })),
    );
    const judged: Judged[] = placed.map((e, i) => {
      const verdict = evaluateOrder(e.payload, users[i]);
      return { placed: e, verdict, event: verdictEvent(e, verdict) };
    });
    const inserted = await chunk.tx.$queryRawUnsafe<{ order_id: string }[]>(
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
    await chunk.produce(
      Topics.orderValidations,
      toProduce.map((j) => ({ key: j.placed.payload.orderId, value: j.event })),
      {
        validated: toProduce.filter((j) => j.verdict.status === 'validated').length,
        rejected: toProduce.filter((j) => j.verdict.status === 'rejected').length,
      },
    );
    this.notifier.publish(toProduce.map((j) => j.placed.payload.orderId));
  }
}
