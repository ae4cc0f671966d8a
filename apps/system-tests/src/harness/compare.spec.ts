import {
  compareAlerts,
  compareCustomers,
  compareNeverPlaced,
  compareShipments,
  compareTotals,
  compareVerdicts,
  compareWindowTables,
  differences,
  jsonDifferences,
  reasonCodes,
  windowsTable,
} from './compare';
import type { OracleFile } from './oracle-file';

const address = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };
const emptyDims = { region: {}, product: {}, category: {}, channel: {} };
const oracle: OracleFile = {
  format: 'shop-oracle/v1',
  seed: 1,
  startsAt: null,
  endsAt: null,
  counts: { orders: 2, validated: 1, rejected: 1, users: 1 },
  verdicts: { 'o-1': { status: 'validated', reasons: [] }, 'o-2': { status: 'rejected', reasons: ['total-mismatch', 'user-suspended'] } },
  shipments: { 'o-1': address },
  alerts: [
    {
      alertId: 'o-1:country-mismatch',
      rule: 'country-mismatch',
      userId: 'u',
      orderId: 'o-1',
      windowStart: null,
      candidateOrderIds: ['o-1'],
    },
    {
      alertId: 'u:velocity:2026-01-05T00:10:00.000Z',
      rule: 'velocity',
      userId: 'u',
      orderId: null,
      windowStart: '2026-01-05T00:10:00.000Z',
      candidateOrderIds: ['o-1', 'o-3'],
    },
  ],
  customers: {
    u: {
      orderCount: 1,
      lifetimeValue: [{ currency: 'EUR', totalCents: 500 }],
      lastOrder: { orderId: 'o-1', totalCents: 500, currency: 'EUR', validatedAt: '2026-01-05T00:10:00.000Z' },
      lastShipment: { orderId: 'o-1', createdAt: '2026-01-05T00:10:00.000Z' },
      openFraudAlerts: 2,
      alertRules: ['country-mismatch', 'velocity'],
    },
  },
  analytics: {
    totals: {
      validatedOrders: 1,
      rejectedOrders: 1,
      revenueCents: 500,
      shipments: 1,
      alerts: 2,
      alertsByRule: { velocity: 1, amount: 0, 'country-mismatch': 1, 'new-account-large-order': 0 },
      byRegion: { europe: { count: 1, revenueCents: 500 } },
      byChannel: { web: { count: 1, revenueCents: 500 } },
      byProduct: {},
      byCategory: {},
    },
    windows: { '1m': emptyDims, '1h': emptyDims },
  },
  badRequests: [{ label: 'x', orderId: 'bad-1' }],
};

describe('compareCustomers', () => {
  const profile = {
    userId: 'u',
    user: { name: 'U', email: 'u@example.com', country: 'DE' },
    orderCount: 1,
    lifetimeValue: [{ currency: 'EUR', totalCents: 500 }],
    lastOrder: { orderId: 'o-1', totalCents: 500, currency: 'EUR', validatedAt: '2026-01-05T00:10:00.000Z' },
    lastShipment: { shipmentId: 'shp-o-1', orderId: 'o-1', createdAt: '2026-01-05T00:10:00.000Z' },
    openFraudAlerts: {
      count: 2,
      alerts: [
        { alertId: 'a-2', orderId: 'o-1', rule: 'velocity', raisedAt: '2026-01-05T00:10:00.000Z' },
        { alertId: 'a-1', orderId: 'o-1', rule: 'country-mismatch', raisedAt: '2026-01-05T00:10:00.000Z' },
      ],
    },
  };

  it('finds nothing when the profile is the oracle', () => {
    expect(compareCustomers(oracle, new Map([['u', { status: 200, body: profile }]]))).toEqual([]);
  });

  it('names every field off, and a missing profile', () => {
    const off = {
      ...profile,
      orderCount: 2,
      lastShipment: null,
      openFraudAlerts: { count: 1, alerts: [profile.openFraudAlerts.alerts[0]] },
    };
    expect(compareCustomers(oracle, new Map([['u', { status: 200, body: off }]]))).toEqual([
      'u: orderCount 2, expected 1',
      'u: lastShipment null, expected {"orderId":"o-1","createdAt":"2026-01-05T00:10:00.000Z"}',
      'u: openFraudAlerts 1 ["velocity"], expected 2 ["country-mismatch","velocity"]',
    ]);
    expect(compareCustomers(oracle, new Map([['u', { status: 404, body: {} }]]))).toEqual(['u: GET /customers/u answered 404 {}']);
  });
});

describe('compare', () => {
  it('verdicts: status, exact reason codes (objects or strings), address of validated orders', () => {
    const good = new Map([
      ['o-1', { status: 200, body: { orderId: 'o-1', status: 'validated', reasons: [], shippingAddress: address } }],
      [
        'o-2',
        {
          status: 200,
          body: {
            status: 'rejected',
            reasons: [
              { code: 'user-suspended', message: '…' },
              { code: 'total-mismatch', message: '…' },
            ],
          },
        },
      ],
    ]);
    expect(compareVerdicts(oracle, good)).toEqual([]);
    const bad = new Map([
      ['o-1', { status: 200, body: { status: 'validated', reasons: [], shippingAddress: { ...address, city: 'Bonn' } } }],
      ['o-2', { status: 200, body: { status: 'rejected', reasons: ['user-suspended'] } }],
    ]);
    expect(compareVerdicts(oracle, bad)).toEqual([
      expect.stringMatching(/^o-1: validated with shippingAddress .*Bonn/),
      'o-2: expected rejected ["total-mismatch","user-suspended"], got rejected ["user-suspended"]',
    ]);
    expect(compareVerdicts(oracle, new Map([['o-1', { status: 404, body: {} }]]))).toEqual([
      expect.stringMatching(/^o-1: GET .* 404/),
      'o-2: not queried',
    ]);
    expect(reasonCodes({ reasons: ['b', 'a'] })).toEqual(['a', 'b']);
    expect(compareNeverPlaced(['bad-1'], new Map([['bad-1', { status: 404, body: {} }]]))).toEqual([]);
    expect(compareNeverPlaced(['bad-1'], new Map([['bad-1', { status: 200, body: {} }]]))).toHaveLength(1);
  });

  it('shipments: 200 with the address for validated orders, 404 for the rest', () => {
    expect(
      compareShipments(
        oracle,
        new Map([
          ['o-1', { status: 200, body: { orderId: 'o-1', address } }],
          ['o-2', { status: 404, body: {} }],
        ]),
      ),
    ).toEqual([]);
    expect(
      compareShipments(
        oracle,
        new Map([
          ['o-1', { status: 404, body: {} }],
          ['o-2', { status: 200, body: {} }],
        ]),
      ),
    ).toEqual([
      'o-1: validated order, but GET /shipments/o-1 answered 404',
      expect.stringMatching(/^o-2: rejected order, but GET \/shipments\/o-2 answered 200/),
    ]);
  });

  it('alerts: the spec id (eventId when present), rule, user, order; missing and unexpected ones', () => {
    const items = [
      { alertId: 'a1', eventId: 'o-1:country-mismatch', rule: 'country-mismatch', userId: 'u', orderId: 'o-1' },
      { alertId: 'u:velocity:2026-01-05T00:10:00.000Z', rule: 'velocity', userId: 'u', orderId: 'o-3' },
    ];
    expect(compareAlerts(oracle, items)).toEqual([]);
    expect(
      compareAlerts(oracle, [
        { ...items[1], orderId: 'o-9' },
        { alertId: 'x', rule: 'amount', userId: 'u', orderId: 'o-1' },
      ]),
    ).toEqual([
      expect.stringMatching(/^o-1:country-mismatch: missing/),
      expect.stringMatching(/is not one of the user's orders/),
      expect.stringMatching(/^x: unexpected alert/),
    ]);
  });

  it('totals and windows', () => {
    const totals = {
      orders: { validated: 1, rejected: 1 },
      revenueCents: 500,
      shipments: 1,
      fraudAlerts: { total: 2, byRule: { 'country-mismatch': 1, velocity: 1 } },
    };
    expect(compareTotals(oracle, totals)).toEqual([]);
    expect(compareTotals(oracle, { ...totals, revenueCents: 499 })).toEqual(['revenueCents: expected 500, got 499']);
    const table = windowsTable({
      windows: [{ windowStart: '2026-01-05T00:00:00Z', values: [{ value: 'europe', count: 1, revenueCents: 500 }] }],
    });
    expect(table).toEqual({ '2026-01-05T00:00:00.000Z': { europe: { count: 1, revenueCents: 500 } } });
    expect(windowsTable({ windows: [{ windowStart: null, values: [] }] })).toEqual({ total: {} });
    expect(compareWindowTables('1m/region', table, table)).toEqual([]);
    expect(compareWindowTables('1m/region', table, {})).toEqual([
      '1m/region 2026-01-05T00:00:00.000Z europe: expected {"count":1,"revenueCents":500}, got null',
    ]);
  });

  it('json differences name the paths that changed', () => {
    expect(jsonDifferences({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(jsonDifferences({ a: [1, { b: 2 }], c: 1 }, { a: [1, { b: 3 }] })).toEqual(['$.a[1].b: 2 → 3', '$.c: 1 → undefined']);
    expect(differences(['x'])).toEqual({ count: 1, examples: ['x'] });
  });
});
