import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { USERS_AS_OF_HEADER } from '@shop/contracts';
import { orderPlacedEvent } from '../domain/order-events';
import { parseIdempotencyKey, parsePlaceOrderRequest, placedAtProblem, requestHash, resolveOrder } from '../domain/order-request';
import { OrdersRepository, type PlacedOrderEntry } from '../infra/orders.repository';
import { OrderIntake } from './order-intake';
import { OrdersSettings } from './orders.settings';

export type PlaceOrderOutcome =
  | { readonly kind: 'invalid'; readonly reasons: readonly string[] }
  | { readonly kind: 'accepted'; readonly orderId: string }
  | { readonly kind: 'duplicate-order'; readonly orderId: string }
  | { readonly kind: 'key-reused'; readonly idempotencyKey: string; readonly orderId: string };

/** The trace the request runs in: its headers go on the produced record, its id in the logs. */
export interface RequestTrace {
  readonly headers: Readonly<Record<string, string>>;
  readonly traceId: string;
}

/**
 * POST /orders (docs/services.md, "order-validation"): validate, then record the order (and its
 * Idempotency-Key) together with its OrderPlaced in the service's own database, produce it and wait for the
 * broker's ack (OrderIntake, batched with concurrent requests). The row is the outbox entry: a crash before
 * the ack leaves it for OutboxRelay, and a retry with the same key re-produces the same event (same id).
 */
@Injectable()
export class PlaceOrderService {
  private readonly logger = new Logger('PlaceOrder');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly intake: OrderIntake,
    private readonly settings: OrdersSettings,
  ) {}

  async place(body: unknown, idempotencyKeyHeader: string | string[] | undefined, trace?: RequestTrace): Promise<PlaceOrderOutcome> {
    const parsed = parsePlaceOrderRequest(body);
    const key = parseIdempotencyKey(idempotencyKeyHeader);
    const future = parsed.ok ? placedAtProblem(parsed.request, new Date(), this.settings.maxPlacedAtAheadMs) : null;
    const reasons = [...(parsed.ok ? [] : parsed.reasons), ...(future ? [future] : []), ...(key.ok ? [] : [key.reason])];
    if (!parsed.ok || !key.ok || future) return { kind: 'invalid', reasons };

    const hash = requestHash(parsed.request);
    if (key.key !== null) {
      const earlier = await this.orders.findByIdempotencyKey(key.key);
      if (earlier) return this.retried(earlier, key.key, hash, trace);
    }

    const order = resolveOrder(parsed.request, { newOrderId: randomUUID, now: new Date() });
    const event = orderPlacedEvent(order, new Date());
    const entry: PlacedOrderEntry = { orderId: order.orderId, idempotencyKey: key.key, requestHash: hash, event };
    if ((await this.intake.record({ entry, headers: trace?.headers ?? {} })) === 'taken') {
      // Either the order id or the key is taken; a concurrent request with the same key may have won.
      const winner = key.key === null ? undefined : await this.orders.findByIdempotencyKey(key.key);
      if (winner) return this.retried(winner, key.key as string, hash, trace);
      return { kind: 'duplicate-order', orderId: order.orderId };
    }
    this.logger.debug({ msg: 'order placed', orderId: order.orderId, traceId: trace?.traceId });
    return { kind: 'accepted', orderId: order.orderId };
  }

  /**
   * Same key: same body → the same OrderPlaced again (harmless, same id; with the users-as-of position it was
   * first recorded with, so the copy joins like the original) and 202; another body → 422.
   */
  private async retried(
    earlier: PlacedOrderEntry & { readonly usersAsOf: string | undefined },
    key: string,
    hash: string,
    trace: RequestTrace | undefined,
  ): Promise<PlaceOrderOutcome> {
    if (earlier.requestHash !== hash) return { kind: 'key-reused', idempotencyKey: key, orderId: earlier.orderId };
    const asOf: Record<string, string> = earlier.usersAsOf === undefined ? {} : { [USERS_AS_OF_HEADER]: earlier.usersAsOf };
    await this.intake.publish(earlier.event, { ...trace?.headers, ...asOf });
    this.logger.log({ msg: 'order placed again (same Idempotency-Key)', orderId: earlier.orderId, traceId: trace?.traceId });
    return { kind: 'accepted', orderId: earlier.orderId };
  }
}
