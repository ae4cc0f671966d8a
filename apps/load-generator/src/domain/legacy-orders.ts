import { orderPlacedV1EventSchema, type OrderPlacedV1Event } from '@shop/contracts';
import type { OrderRequest } from './scenario';

/**
 * History from before OrderPlaced v2: which of the scenario's orders go on the `orders` topic as v1 records, as
 * order-validation wrote them before the upgrade, instead of through POST /orders (which now produces v2).
 * The first `count` orders without a channel (a v1 record cannot carry one), skipping the first two, which the
 * idempotency checks send again through the front door (it must know them).
 */
export function pickV1Orders(orders: readonly OrderRequest[], count: number): OrderRequest[] {
  if (count <= 0) return [];
  return orders.filter((o, i) => i >= 2 && o.body.channel === undefined).slice(0, count);
}

/** The OrderPlaced v1 envelope order-validation produced for this request before v2 (same id, same payload). */
export function orderPlacedV1(order: OrderRequest): OrderPlacedV1Event {
  const b = order.body;
  return orderPlacedV1EventSchema.parse({
    id: `${b.orderId}:placed`,
    type: 'OrderPlaced',
    version: 1,
    occurredAt: b.placedAt,
    source: 'order-validation',
    correlationId: b.orderId,
    causationId: null,
    payload: {
      orderId: b.orderId,
      userId: b.userId,
      lines: b.lines,
      currency: b.currency,
      totalCents: b.totalCents,
      shippingAddress: b.shippingAddress,
      placedAt: b.placedAt,
    },
  });
}
