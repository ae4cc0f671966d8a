import type { UserRecord } from '@shop/contracts';
import { computeOracle, rejectionReasons } from './oracle';
import type { OrderBody } from './scenario';

const user = (id: string, overrides: Partial<UserRecord> = {}): UserRecord => ({
  id,
  email: `${id}@example.com`,
  name: id,
  status: 'active',
  country: 'DE',
  region: 'europe',
  address_line1: '1 Hauptstraße',
  city: 'Berlin',
  postal_code: '10115',
  created_at: '2025-01-01T00:00:00.000000Z',
  updated_at: '2025-01-01T00:00:00.000000Z',
  ...overrides,
});

let n = 0;
const order = (userId: string, placedAt: string, overrides: Partial<OrderBody> = {}): { body: OrderBody } => {
  n += 1;
  const lines = overrides.lines ?? [{ productId: 'mug', category: 'home', quantity: 2, unitPriceCents: 1_000 }];
  return {
    body: {
      orderId: `o-${n}`,
      userId,
      lines,
      currency: 'EUR',
      totalCents: lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0),
      shippingAddress: null,
      placedAt,
      ...overrides,
    },
  };
};

describe('rejectionReasons', () => {
  const ok = order('u', '2026-01-05T00:00:00.000Z').body;
  it('accepts a valid order and lists every failing rule in the spec order', () => {
    expect(rejectionReasons(ok, user('u'))).toEqual([]);
    expect(rejectionReasons({ ...ok, currency: 'JPY', totalCents: 1 }, user('u', { status: 'suspended' }))).toEqual([
      'user-suspended',
      'total-mismatch',
      'unsupported-currency',
    ]);
    expect(rejectionReasons(ok, undefined)).toEqual(['unknown-user', 'no-shipping-address']);
    expect(rejectionReasons({ ...ok, shippingAddress: { line1: 'x', city: 'y', postalCode: '1', country: 'FR' } }, undefined)).toEqual([
      'unknown-user',
    ]);
  });
  it('checks quantity 1…100, price 1…1,000,000 and the address on file', () => {
    const line = { productId: 'p', category: 'c', quantity: 101, unitPriceCents: 1 };
    expect(rejectionReasons({ ...ok, lines: [line], totalCents: 101 }, user('u'))).toEqual(['invalid-quantity']);
    expect(rejectionReasons({ ...ok, lines: [{ ...line, quantity: 100 }], totalCents: 100 }, user('u'))).toEqual([]);
    expect(rejectionReasons({ ...ok, lines: [{ ...line, quantity: 1, unitPriceCents: 0 }], totalCents: 0 }, user('u'))).toEqual([
      'invalid-price',
    ]);
    expect(
      rejectionReasons({ ...ok, lines: [{ ...line, quantity: 1, unitPriceCents: 1_000_000 }], totalCents: 1_000_000 }, user('u')),
    ).toEqual([]);
    expect(rejectionReasons(ok, user('u', { city: null }))).toEqual(['no-shipping-address']);
  });
});

describe('computeOracle: customer profiles', () => {
  it('per known user with orders: validated orders per currency, the last by placedAt (ties by order id), its alerts', () => {
    const users = [user('a', { country: 'FR' }), user('b'), user('idle')];
    const paris = { line1: '1 Rue', city: 'Paris', postalCode: '75001', country: 'FR' };
    const a1 = order('a', '2026-01-05T00:00:30.000Z', { shippingAddress: paris, currency: 'USD' });
    const a2 = order('a', '2026-01-05T00:00:40.000Z', { shippingAddress: paris });
    const a3 = order('a', '2026-01-05T00:00:40.000Z', { shippingAddress: paris, totalCents: 1 }); // total-mismatch: rejected
    const b1 = order('b', '2026-01-05T00:01:00.000Z', { shippingAddress: paris }); // ships abroad: country-mismatch
    const ghost = order('ghost', '2026-01-05T00:02:00.000Z', { shippingAddress: paris });
    const oracle = computeOracle({ users, orders: [a1, a2, a3, b1, ghost] });

    expect(oracle.customers).toEqual({
      a: {
        orderCount: 2,
        lifetimeValue: [
          { currency: 'EUR', totalCents: 2_000 },
          { currency: 'USD', totalCents: 2_000 },
        ],
        lastOrder: { orderId: a2.body.orderId, totalCents: 2_000, currency: 'EUR', validatedAt: '2026-01-05T00:00:40.000Z' },
        lastShipment: { orderId: a2.body.orderId, createdAt: '2026-01-05T00:00:40.000Z' },
        openFraudAlerts: 0,
        alertRules: [],
      },
      b: {
        orderCount: 1,
        lifetimeValue: [{ currency: 'EUR', totalCents: 2_000 }],
        lastOrder: { orderId: b1.body.orderId, totalCents: 2_000, currency: 'EUR', validatedAt: '2026-01-05T00:01:00.000Z' },
        lastShipment: { orderId: b1.body.orderId, createdAt: '2026-01-05T00:01:00.000Z' },
        openFraudAlerts: 1,
        alertRules: ['country-mismatch'],
      },
    });
  });
});

describe('computeOracle on hand-made scenarios', () => {
  it('verdicts, shipments with the resolved address, and the analytics roll-ups', () => {
    const users = [user('a'), user('b', { country: 'US', region: 'north-america', address_line1: null, city: null, postal_code: null })];
    const o1 = order('a', '2026-01-05T00:00:30.000Z', {
      lines: [
        { productId: 'mug', category: 'home', quantity: 2, unitPriceCents: 1_000 },
        { productId: 'book', category: 'books', quantity: 1, unitPriceCents: 500 },
      ],
    });
    const o2 = order('b', '2026-01-05T00:01:10.000Z', {
      shippingAddress: { line1: '5 Main Street', city: 'Austin', postalCode: '73301', country: 'US' },
      channel: 'mobile',
    });
    const o3 = order('b', '2026-01-05T00:01:20.000Z'); // no address anywhere
    const o4 = order('ghost', '2026-01-05T00:02:00.000Z', {
      shippingAddress: { line1: '1 Rue', city: 'Paris', postalCode: '75001', country: 'FR' },
    });
    const oracle = computeOracle({ users, orders: [o1, o2, o3, o4] });

    expect(oracle.verdicts).toEqual({
      [o1.body.orderId]: { status: 'validated', reasons: [] },
      [o2.body.orderId]: { status: 'validated', reasons: [] },
      [o3.body.orderId]: { status: 'rejected', reasons: ['no-shipping-address'] },
      [o4.body.orderId]: { status: 'rejected', reasons: ['unknown-user'] },
    });
    expect(oracle.shipments).toEqual({
      [o1.body.orderId]: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
      [o2.body.orderId]: { line1: '5 Main Street', city: 'Austin', postalCode: '73301', country: 'US' },
    });
    expect(oracle.alerts).toEqual([]);
    expect(oracle.analytics.totals).toEqual({
      validatedOrders: 2,
      rejectedOrders: 2,
      revenueCents: 2_500 + 2_000,
      shipments: 2,
      alerts: 0,
      alertsByRule: { velocity: 0, amount: 0, 'country-mismatch': 0, 'new-account-large-order': 0 },
      byRegion: { europe: { count: 1, revenueCents: 2_500 }, 'north-america': { count: 1, revenueCents: 2_000 } },
      // o1 said no channel: 'unknown', as analytics counts it.
      byChannel: { mobile: { count: 1, revenueCents: 2_000 }, unknown: { count: 1, revenueCents: 2_500 } },
      byProduct: { book: { count: 1, revenueCents: 500 }, mug: { count: 4, revenueCents: 4_000 } },
      byCategory: { books: { count: 1, revenueCents: 500 }, home: { count: 4, revenueCents: 4_000 } },
    });
    expect(oracle.analytics.windows['1m'].region).toEqual({
      '2026-01-05T00:00:00.000Z': { europe: { count: 1, revenueCents: 2_500 } },
      '2026-01-05T00:01:00.000Z': { 'north-america': { count: 1, revenueCents: 2_000 } },
    });
    expect(oracle.analytics.windows['1m'].channel).toEqual({
      '2026-01-05T00:00:00.000Z': { unknown: { count: 1, revenueCents: 2_500 } },
      '2026-01-05T00:01:00.000Z': { mobile: { count: 1, revenueCents: 2_000 } },
    });
    expect(oracle.analytics.windows['1h'].product).toEqual({
      '2026-01-05T00:00:00.000Z': { book: { count: 1, revenueCents: 500 }, mug: { count: 4, revenueCents: 4_000 } },
    });
  });

  it('velocity: more than 5 validated orders in one UTC-aligned 10-minute window, once per window', () => {
    const users = [user('v')];
    const inWindow = ['00:10:00', '00:11:00', '00:12:00', '00:13:00', '00:14:00', '00:19:59', '00:19:59'].map((t) =>
      order('v', `2026-01-05T${t}.000Z`),
    );
    const rejected = order('v', '2026-01-05T00:30:30.000Z', { currency: 'JPY' });
    const five = ['00:30:00', '00:31:00', '00:32:00', '00:33:00', '00:34:00'].map((t) => order('v', `2026-01-05T${t}.000Z`));
    const oracle = computeOracle({ users, orders: [...inWindow, ...five, rejected] });
    expect(oracle.alerts).toEqual([
      {
        alertId: 'v:velocity:2026-01-05T00:10:00.000Z',
        rule: 'velocity',
        userId: 'v',
        orderId: null,
        windowStart: '2026-01-05T00:10:00.000Z',
        candidateOrderIds: inWindow.map((o) => o.body.orderId),
      },
    ]);
  });

  it('amount: more than 500,000 cents in one hour; exactly 500,000 is fine', () => {
    const big = (userId: string, at: string, cents: number) =>
      order(userId, at, { lines: [{ productId: 'laptop', category: 'electronics', quantity: 1, unitPriceCents: cents }] });
    const users = [user('x'), user('y')];
    const spike = [big('x', '2026-01-05T02:05:00.000Z', 250_000), big('x', '2026-01-05T02:55:00.000Z', 250_001)];
    const edge = [
      big('y', '2026-01-05T02:05:00.000Z', 250_000),
      big('y', '2026-01-05T02:59:59.000Z', 250_000),
      big('y', '2026-01-05T03:00:00.000Z', 250_000),
    ];
    const oracle = computeOracle({ users, orders: [...spike, ...edge] });
    expect(oracle.alerts.map((a) => [a.alertId, a.candidateOrderIds])).toEqual([
      ['x:amount:2026-01-05T02:00:00.000Z', spike.map((o) => o.body.orderId)],
    ]);
  });

  it('country mismatch on the resolved address and new accounts with a large order', () => {
    const users = [user('old'), user('new', { created_at: '2026-01-04T12:00:00.000000Z' })];
    const abroad = order('old', '2026-01-05T01:00:00.000Z', {
      shippingAddress: { line1: '1 Rue', city: 'Paris', postalCode: '75001', country: 'FR' },
    });
    const home = order('old', '2026-01-05T01:00:00.000Z', {
      shippingAddress: { line1: '2 Weg', city: 'Hamburg', postalCode: '20095', country: 'DE' },
    });
    const large = (userId: string, at: string) =>
      order(userId, at, { lines: [{ productId: 'tv', category: 'electronics', quantity: 1, unitPriceCents: 100_000 }] });
    const fresh = large('new', '2026-01-05T11:59:59.000Z'); // 23:59:59 old
    const dayOld = large('new', '2026-01-05T12:00:00.000Z'); // 24 h: no longer new
    const oldLarge = large('old', '2026-01-05T05:00:00.000Z');
    const oracle = computeOracle({ users, orders: [abroad, home, fresh, dayOld, oldLarge] });
    expect(oracle.alerts.map((a) => ({ id: a.alertId, rule: a.rule, user: a.userId, order: a.orderId }))).toEqual([
      { id: `${abroad.body.orderId}:country-mismatch`, rule: 'country-mismatch', user: 'old', order: abroad.body.orderId },
      { id: `${fresh.body.orderId}:new-account-large-order`, rule: 'new-account-large-order', user: 'new', order: fresh.body.orderId },
    ]);
    expect(oracle.analytics.totals.alertsByRule).toEqual({ velocity: 0, amount: 0, 'country-mismatch': 1, 'new-account-large-order': 1 });
  });

  it('refuses a scenario with a repeated orderId', () => {
    const o = order('a', '2026-01-05T00:00:00.000Z');
    expect(() => computeOracle({ users: [user('a')], orders: [o, o] })).toThrow(/duplicate orderId/);
  });
});

describe('computeOracle with users changing between orders', () => {
  it('judges, ships, counts and profiles each order with the user as the changes before it left them', () => {
    const ada = user('u-ada');
    const first = order('u-ada', '2026-01-05T10:00:00.000Z');
    const second = order('u-ada', '2026-01-05T11:00:00.000Z');
    const third = order('u-ada', '2026-01-05T12:00:00.000Z');
    const fourth = order('u-ada', '2026-01-05T13:00:00.000Z');
    const moved = { ...ada, country: 'FR', region: 'europe-west', address_line1: '2 Rue de la Paix', city: 'Paris', postal_code: '75002' };
    const oracle = computeOracle({
      users: [ada],
      orders: [first, second, third, fourth],
      userChanges: [
        { beforeOrderId: second.body.orderId, userId: 'u-ada', record: moved },
        { beforeOrderId: third.body.orderId, userId: 'u-ada', record: { ...moved, status: 'suspended' } },
        { beforeOrderId: fourth.body.orderId, userId: 'u-ada', record: null },
      ],
    });
    expect(oracle.verdicts).toEqual({
      [first.body.orderId]: { status: 'validated', reasons: [] },
      [second.body.orderId]: { status: 'validated', reasons: [] },
      [third.body.orderId]: { status: 'rejected', reasons: ['user-suspended'] },
      [fourth.body.orderId]: { status: 'rejected', reasons: ['unknown-user', 'no-shipping-address'] },
    });
    expect(oracle.shipments[first.body.orderId]?.city).toBe('Berlin');
    expect(oracle.shipments[second.body.orderId]?.city).toBe('Paris');
    expect(oracle.analytics.totals.byRegion).toEqual({
      europe: { count: 1, revenueCents: 2_000 },
      'europe-west': { count: 1, revenueCents: 2_000 },
    });
    // Deleted in the end, yet a customer: the profile keeps the validated orders.
    expect(oracle.customers['u-ada']?.orderCount).toBe(2);
  });
});
