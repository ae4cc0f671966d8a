import type { CustomerFraudAlert, CustomerOrder, CustomerShipment } from './customer-facts';
import { customerProfileOf, type CustomerFacts } from './customer-profile';

const order = (orderId: string, validatedAt: string, totalCents = 1000, currency = 'EUR'): CustomerOrder => ({
  orderId,
  userId: 'u-1',
  totalCents,
  currency,
  validatedAt,
});
const shipment = (orderId: string, createdAt: string): CustomerShipment => ({
  shipmentId: `shp-${orderId}`,
  orderId,
  userId: 'u-1',
  createdAt,
});
const alert = (alertId: string, raisedAt: string): CustomerFraudAlert => ({
  alertId,
  orderId: 'o-1',
  userId: 'u-1',
  rule: 'amount',
  raisedAt,
});
const ada = { name: 'Ada Lovelace', email: 'ada@example.com', country: 'DE' };
const facts = (overrides: Partial<CustomerFacts> = {}): CustomerFacts => ({
  userId: 'u-1',
  user: ada,
  orders: [],
  shipments: [],
  alerts: [],
  ...overrides,
});

describe('customerProfileOf', () => {
  it('is undefined when nothing is known of the user id (404)', () => {
    expect(customerProfileOf(facts({ user: undefined }))).toBeUndefined();
  });

  it('gives a known user without orders an empty profile', () => {
    expect(customerProfileOf(facts())).toEqual({
      userId: 'u-1',
      user: ada,
      orderCount: 0,
      lifetimeValue: [],
      lastOrder: null,
      lastShipment: null,
      openFraudAlerts: { count: 0, alerts: [] },
    });
  });

  it('counts the validated orders and sums their totals per currency, never across currencies', () => {
    const profile = customerProfileOf(
      facts({
        orders: [
          order('o-1', '2026-11-25T10:00:00.000Z', 1000, 'USD'),
          order('o-2', '2026-11-25T11:00:00.000Z', 250),
          order('o-3', '2026-11-25T09:00:00.000Z', 750),
        ],
      }),
    );
    expect(profile).toMatchObject({
      orderCount: 3,
      lifetimeValue: [
        { currency: 'EUR', totalCents: 1000 },
        { currency: 'USD', totalCents: 1000 },
      ],
      lastOrder: { orderId: 'o-2', totalCents: 250, currency: 'EUR', validatedAt: '2026-11-25T11:00:00.000Z' },
    });
  });

  it('takes the last order and shipment by time (offsets compared as instants), equal times by the greatest order id', () => {
    const profile = customerProfileOf(
      facts({
        orders: [
          order('o-b', '2026-11-25T12:00:00.000+02:00'),
          order('o-a', '2026-11-25T10:30:00.000Z'),
          order('o-c', '2026-11-25T10:00:00.000Z'),
        ],
        shipments: [
          shipment('o-a', '2026-11-25T10:00:00.000Z'),
          shipment('o-c', '2026-11-25T10:00:00.000Z'),
          shipment('o-b', '2026-11-25T09:00:00.000Z'),
        ],
      }),
    );
    expect(profile?.lastOrder?.orderId).toBe('o-a');
    expect(profile?.lastShipment).toEqual({ shipmentId: 'shp-o-c', orderId: 'o-c', createdAt: '2026-11-25T10:00:00.000Z' });
  });

  it('lists every alert as open, in the order they were raised', () => {
    const profile = customerProfileOf(
      facts({
        alerts: [
          alert('a-2', '2026-11-25T10:00:05.000Z'),
          alert('a-1', '2026-11-25T10:00:05.000Z'),
          alert('a-0', '2026-11-25T10:00:09.000Z'),
        ],
      }),
    );
    expect(profile?.openFraudAlerts).toEqual({
      count: 3,
      alerts: [
        { alertId: 'a-1', orderId: 'o-1', rule: 'amount', raisedAt: '2026-11-25T10:00:05.000Z' },
        { alertId: 'a-2', orderId: 'o-1', rule: 'amount', raisedAt: '2026-11-25T10:00:05.000Z' },
        { alertId: 'a-0', orderId: 'o-1', rule: 'amount', raisedAt: '2026-11-25T10:00:09.000Z' },
      ],
    });
  });

  it('keeps the facts of a deleted user, without the user', () => {
    const profile = customerProfileOf(facts({ user: undefined, orders: [order('o-1', '2026-11-25T10:00:00.000Z')] }));
    expect(profile).toMatchObject({ userId: 'u-1', user: null, orderCount: 1 });
  });
});
