import type { OrderPlaced, OrderPlacedEvent, OrderVerdictEvent } from '@shop/contracts';
import type { Verdict } from './order-rules';

/** `source` of every envelope this service produces. */
export const SOURCE = 'order-validation';

/** Deterministic event ids (docs/services.md, "Shared conventions"). */
export const placedEventId = (orderId: string): string => `${orderId}:placed`;
export const verdictEventId = (orderId: string): string => `${orderId}:verdict`;

/**
 * The OrderPlaced envelope of an accepted order (v2, the latest); `acceptedAt` is when the front door accepted it.
 */
export function orderPlacedEvent(order: OrderPlaced, acceptedAt: Date): OrderPlacedEvent {
  return {
    id: placedEventId(order.orderId),
    type: 'OrderPlaced',
    version: 2,
    occurredAt: acceptedAt.toISOString(),
    source: SOURCE,
    correlationId: order.orderId,
    causationId: null,
    payload: order,
  };
}

/**
 * The verdict event on an OrderPlaced.
 *
 * Its times (`occurredAt`, `validatedAt` / `rejectedAt`) are the order's `placedAt`, NOT the processing time:
 * processing time changes on every replay, event time does not, so a rebuild of the orders processor
 * produces byte-for-byte the same events (same ids, same content) and writes the same verdict rows.
 * Consumers that want to know when the verdict was computed can read the record's broker timestamp.
 */
export function verdictEvent(placed: OrderPlacedEvent, verdict: Verdict): OrderVerdictEvent {
  const order = placed.payload;
  const metadata = {
    id: verdictEventId(order.orderId),
    occurredAt: order.placedAt,
    source: SOURCE,
    correlationId: order.orderId,
    causationId: placed.id,
  };
  if (verdict.status === 'validated') {
    return {
      ...metadata,
      type: 'OrderValidated',
      version: 2,
      payload: {
        orderId: order.orderId,
        userId: order.userId,
        totalCents: order.totalCents,
        currency: order.currency,
        lines: order.lines,
        shippingAddress: verdict.shippingAddress,
        placedAt: order.placedAt,
        validatedAt: order.placedAt,
        // v2: the channel travels on, so that consumers of verdicts (analytics) need not read `orders`.
        ...(order.channel === undefined ? {} : { channel: order.channel }),
      },
    };
  }
  return {
    ...metadata,
    type: 'OrderRejected',
    version: 1,
    payload: {
      orderId: order.orderId,
      userId: order.userId,
      reasons: [...verdict.reasons],
      placedAt: order.placedAt,
      rejectedAt: order.placedAt,
    },
  };
}
