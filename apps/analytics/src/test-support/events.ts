/** Records of the topics analytics reads, for its integration tests. */
import type {
  FraudAlertRaisedEvent,
  FraudRule,
  OrderChannel,
  OrderLine,
  OrderRejectedEvent,
  OrderValidatedEvent,
  OrderValidatedV1Event,
  ShipmentCreatedEvent,
  UserRecord,
} from '@shop/contracts';

export const user = (id: string, region: string): UserRecord => ({
  id,
  email: `${id}@example.com`,
  name: id,
  status: 'active',
  country: 'DE',
  region,
  address_line1: '1 Hauptstraße',
  city: 'Berlin',
  postal_code: '10115',
  created_at: '2026-11-25T09:00:00.000000Z',
  updated_at: '2026-11-25T09:00:00.000000Z',
});
export const address = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };
export const line = (productId: string, category: string, quantity: number, unitPriceCents: number): OrderLine => ({
  productId,
  category,
  quantity,
  unitPriceCents,
});
export const validated = (
  orderId: string,
  userId: string,
  placedAt: string,
  lines: OrderLine[],
  channel?: OrderChannel,
): OrderValidatedEvent => {
  const { version: _v1, payload, ...metadata } = validatedV1(orderId, userId, placedAt, lines);
  return { ...metadata, version: 2, payload: { ...payload, ...(channel === undefined ? {} : { channel }) } };
};
/** A verdict as order-validation wrote it before OrderValidated v2; tests send it as raw bytes (producers write v2). */
export const validatedV1 = (orderId: string, userId: string, placedAt: string, lines: OrderLine[]): OrderValidatedV1Event => ({
  id: `${orderId}:verdict`,
  type: 'OrderValidated',
  version: 1,
  occurredAt: placedAt,
  source: 'order-validation',
  correlationId: orderId,
  causationId: `${orderId}:placed`,
  payload: {
    orderId,
    userId,
    totalCents: lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0),
    currency: 'EUR',
    lines,
    shippingAddress: address,
    placedAt,
    validatedAt: placedAt,
  },
});
export const rejected = (orderId: string, userId: string, placedAt: string): OrderRejectedEvent => ({
  id: `${orderId}:verdict`,
  type: 'OrderRejected',
  version: 1,
  occurredAt: placedAt,
  source: 'order-validation',
  correlationId: orderId,
  causationId: `${orderId}:placed`,
  payload: { orderId, userId, reasons: [{ code: 'invalid-quantity', message: 'quantity 0' }], placedAt, rejectedAt: placedAt },
});
export const shipment = (orderId: string, userId: string): ShipmentCreatedEvent => ({
  id: `${orderId}:shipment`,
  type: 'ShipmentCreated',
  version: 1,
  occurredAt: '2026-11-25T12:30:00Z',
  source: 'shipping',
  correlationId: orderId,
  causationId: `${orderId}:verdict`,
  // The contract's idSchema does not allow ':' in shipmentId (see the report); '-' stands in for it here.
  payload: { shipmentId: `${orderId}-shipment`, orderId, userId, address, createdAt: '2026-11-25T12:30:00Z' },
});
export const alert = (alertId: string, orderId: string, userId: string, rule: FraudRule): FraudAlertRaisedEvent => ({
  id: alertId,
  type: 'FraudAlertRaised',
  version: 1,
  occurredAt: '2026-11-25T12:30:00Z',
  source: 'fraud-detection',
  correlationId: orderId,
  causationId: `${orderId}:verdict`,
  payload: { alertId, userId, orderId, rule, evidence: { count: 6 }, raisedAt: '2026-11-25T12:30:00Z' },
});
