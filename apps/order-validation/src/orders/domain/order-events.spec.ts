import { orderPlacedEventSchema, orderVerdictEventSchema, type OrderPlaced, type RejectionReason } from '@shop/contracts';
import { orderPlacedEvent, verdictEvent } from './order-events';

const order: OrderPlaced = {
  orderId: 'o-1',
  userId: 'u-1',
  lines: [{ productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1500 }],
  currency: 'EUR',
  totalCents: 3000,
  shippingAddress: null,
  placedAt: '2026-11-25T10:00:00.000Z',
};

describe('order events', () => {
  it('OrderPlaced: deterministic id, no cause, correlated by order id', () => {
    const event = orderPlacedEvent(order, new Date('2026-11-25T10:00:01.000Z'));
    expect(orderPlacedEventSchema.parse(event)).toEqual({
      id: 'o-1:placed',
      type: 'OrderPlaced',
      version: 2,
      occurredAt: '2026-11-25T10:00:01.000Z',
      source: 'order-validation',
      correlationId: 'o-1',
      causationId: null,
      payload: order,
    });
  });

  it('OrderValidated: caused by the OrderPlaced, timed at placedAt, with the resolved address', () => {
    const placed = orderPlacedEvent(order, new Date('2026-11-25T10:00:01.000Z'));
    const address = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };
    const event = verdictEvent(placed, { status: 'validated', shippingAddress: address });
    expect(orderVerdictEventSchema.parse(event)).toEqual({
      id: 'o-1:verdict',
      type: 'OrderValidated',
      version: 2,
      occurredAt: order.placedAt,
      source: 'order-validation',
      correlationId: 'o-1',
      causationId: 'o-1:placed',
      payload: {
        orderId: 'o-1',
        userId: 'u-1',
        totalCents: 3000,
        currency: 'EUR',
        lines: order.lines,
        shippingAddress: address,
        placedAt: order.placedAt,
        validatedAt: order.placedAt,
      },
    });
  });

  it('OrderPlaced v2 carries the channel, and OrderValidated v2 copies it; without one neither has the field', () => {
    const placed = orderPlacedEvent({ ...order, channel: 'mobile' }, new Date('2026-11-25T10:00:01.000Z'));
    expect(orderPlacedEventSchema.parse(placed).payload.channel).toBe('mobile');
    const address = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };
    const validated = verdictEvent(placed, { status: 'validated', shippingAddress: address });
    expect(validated).toMatchObject({ type: 'OrderValidated', version: 2, payload: { channel: 'mobile' } });
    const withoutChannel = verdictEvent(orderPlacedEvent(order, new Date()), { status: 'validated', shippingAddress: address });
    expect(Object.keys(withoutChannel.payload)).not.toContain('channel');
  });

  it('OrderRejected: the reasons, timed at placedAt; the same input gives the same event', () => {
    const placed = orderPlacedEvent(order, new Date());
    const reasons: RejectionReason[] = [{ code: 'unknown-user', message: 'user "u-1" is not in the users view' }];
    const event = verdictEvent(placed, { status: 'rejected', reasons });
    expect(orderVerdictEventSchema.parse(event)).toMatchObject({
      id: 'o-1:verdict',
      type: 'OrderRejected',
      causationId: 'o-1:placed',
      payload: { orderId: 'o-1', userId: 'u-1', reasons, placedAt: order.placedAt, rejectedAt: order.placedAt },
    });
    expect(verdictEvent(placed, { status: 'rejected', reasons })).toEqual(event);
  });
});
