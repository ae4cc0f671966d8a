import type { FraudAlertRaisedEvent, OrderRejectedEvent, OrderValidatedEvent, ShipmentCreatedEvent } from '@shop/contracts';
import { customerFraudAlertsOf, customerOrdersOf, customerShipmentsOf, preferredAlert } from './customer-facts';

const meta = (id: string, occurredAt: string) => ({ id, occurredAt, source: 'test', correlationId: id, causationId: null });
const berlin = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };

const validated = (orderId: string, userId = 'u-1', totalCents = 2000, currency = 'EUR'): OrderValidatedEvent => ({
  ...meta(`${orderId}:verdict`, '2026-11-25T10:00:01.000Z'),
  type: 'OrderValidated',
  version: 2,
  payload: {
    orderId,
    userId,
    totalCents,
    currency,
    lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: totalCents }],
    shippingAddress: berlin,
    placedAt: '2026-11-25T10:00:00.000Z',
    validatedAt: '2026-11-25T10:00:01.123Z',
  },
});

const rejected = (orderId: string): OrderRejectedEvent => ({
  ...meta(`${orderId}:verdict`, '2026-11-25T10:00:01.000Z'),
  type: 'OrderRejected',
  version: 1,
  payload: {
    orderId,
    userId: 'u-1',
    reasons: [{ code: 'unknown-user', message: 'no such user' }],
    placedAt: '2026-11-25T10:00:00.000Z',
    rejectedAt: '2026-11-25T10:00:01.000Z',
  },
});

const shipment = (orderId: string): ShipmentCreatedEvent => ({
  ...meta(`${orderId}:shipment`, '2026-11-25T10:00:02.000Z'),
  type: 'ShipmentCreated',
  version: 1,
  payload: { shipmentId: `shp-${orderId}`, orderId, userId: 'u-1', address: berlin, createdAt: '2026-11-25T10:00:02.000Z' },
});

const alert = (
  alertId: string,
  orderId: string,
  rule: FraudAlertRaisedEvent['payload']['rule'] = 'velocity',
  raisedAt = '2026-11-25T10:00:03.000Z',
): FraudAlertRaisedEvent => ({
  ...meta(alertId, raisedAt),
  type: 'FraudAlertRaised',
  version: 1,
  payload: { alertId, userId: 'u-1', orderId, rule, evidence: { orders: 5 }, raisedAt },
});

describe('customerOrdersOf', () => {
  it('keeps the validated orders, in log order, the first verdict of an order only', () => {
    expect(
      customerOrdersOf([validated('o-2', 'u-2', 500, 'USD'), rejected('o-3'), validated('o-1'), validated('o-2', 'u-2', 999)]),
    ).toEqual([
      { orderId: 'o-2', userId: 'u-2', totalCents: 500, currency: 'USD', validatedAt: '2026-11-25T10:00:01.123Z' },
      { orderId: 'o-1', userId: 'u-1', totalCents: 2000, currency: 'EUR', validatedAt: '2026-11-25T10:00:01.123Z' },
    ]);
    expect(customerOrdersOf([rejected('o-1')])).toEqual([]);
  });
});

describe('customerShipmentsOf', () => {
  it('keeps one shipment per order', () => {
    expect(customerShipmentsOf([shipment('o-1'), shipment('o-2'), shipment('o-1')])).toEqual([
      { shipmentId: 'shp-o-1', orderId: 'o-1', userId: 'u-1', createdAt: '2026-11-25T10:00:02.000Z' },
      { shipmentId: 'shp-o-2', orderId: 'o-2', userId: 'u-1', createdAt: '2026-11-25T10:00:02.000Z' },
    ]);
  });
});

describe('customerFraudAlertsOf', () => {
  it('keeps every alert of an order (one per rule), each alert id once', () => {
    const alerts = customerFraudAlertsOf([alert('a-1', 'o-1'), alert('a-2', 'o-1', 'amount'), alert('a-1', 'o-1')]);
    expect(alerts.map((a) => [a.alertId, a.orderId, a.rule])).toEqual([
      ['a-1', 'o-1', 'velocity'],
      ['a-2', 'o-1', 'amount'],
    ]);
    expect(alerts[0]).toEqual({ alertId: 'a-1', orderId: 'o-1', userId: 'u-1', rule: 'velocity', raisedAt: '2026-11-25T10:00:03.000Z' });
  });
});

describe('preferredAlert', () => {
  const copy = (orderId: string, raisedAt: string) => ({
    alertId: 'u-1:velocity:w',
    orderId,
    userId: 'u-1',
    rule: 'velocity' as const,
    raisedAt,
  });

  it('keeps the earlier copy of an alert, then the smaller order id, whichever comes first', () => {
    const early = copy('o-9', '2026-11-25T10:00:01.000Z');
    const late = copy('o-1', '2026-11-25T10:00:02.000Z');
    expect([preferredAlert(early, late), preferredAlert(late, early)]).toEqual([early, early]);
    const a = copy('o-1', '2026-11-25T10:00:01.000Z');
    const b = copy('o-2', '2026-11-25T11:00:01.000+01:00');
    expect([preferredAlert(a, b), preferredAlert(b, a)]).toEqual([a, a]);
  });

  it('decides between copies within a chunk the same way', () => {
    const second = alert('w-1', 'o-2', 'velocity', '2026-11-25T10:00:02.000Z');
    const first = alert('w-1', 'o-1', 'velocity', '2026-11-25T10:00:01.000Z');
    expect(customerFraudAlertsOf([second, first]).map((a) => a.orderId)).toEqual(['o-1']);
    expect(customerFraudAlertsOf([first, second]).map((a) => a.orderId)).toEqual(['o-1']);
  });
});
