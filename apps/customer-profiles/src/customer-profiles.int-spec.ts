import {
  Topics,
  withTopicPrefix,
  type Address,
  type FraudAlertRaisedEvent,
  type OrderRejectedEvent,
  type OrderValidatedEvent,
  type ShipmentCreatedEvent,
  type UserRecord,
} from '@shop/contracts';
import type { EventProducer, Producer } from '@shop/kafka';
import { committedApiDocument } from '@shop/nest-platform';
import { apiAnswerCheck, startServiceUnderTest, uniqueName, waitUntil, type ApiDocument, type ServiceUnderTest } from '@shop/testing';
import { AppModule } from './app.module';
import { loadConfig, type CustomerProfilesConfig } from './config/config';

/**
 * The whole service against the harness's real broker and a fresh PostgreSQL database: boots the Nest app as
 * main.ts does, feeds `users` (as CDC would), `order-validations`, `shipments` and `fraud-alerts` (as their
 * writers would), and checks GET /customers/:id, its OpenAPI document and a rebuild.
 */
describe('customer-profiles over HTTP and Kafka', () => {
  const prefix = `${uniqueName('cpr')}_`;
  const users = withTopicPrefix(Topics.users, prefix);
  const validations = withTopicPrefix(Topics.orderValidations, prefix);
  const shipments = withTopicPrefix(Topics.shipments, prefix);
  const alerts = withTopicPrefix(Topics.fraudAlerts, prefix);
  let sut: ServiceUnderTest<CustomerProfilesConfig>;
  let baseUrl: string;
  let producer: EventProducer;
  let rawProducer: Producer;

  const berlin: Address = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };
  const meta = (id: string, occurredAt: string, source: string) => ({
    id,
    occurredAt,
    source,
    correlationId: id,
    causationId: null,
  });

  const user = (id: string, name: string): UserRecord => ({
    id,
    email: `${id}@example.com`,
    name,
    status: 'active',
    country: 'DE',
    region: 'europe',
    address_line1: berlin.line1,
    city: berlin.city,
    postal_code: berlin.postalCode,
    created_at: '2026-11-25T10:00:00.000Z',
    updated_at: '2026-11-25T10:00:00.000Z',
  });
  const validated = (orderId: string, userId: string, totalCents: number, currency: string, validatedAt: string): OrderValidatedEvent => ({
    ...meta(`${orderId}:verdict`, validatedAt, 'order-validation'),
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
      validatedAt,
    },
  });
  const rejected = (orderId: string, userId: string): OrderRejectedEvent => ({
    ...meta(`${orderId}:verdict`, '2026-11-25T10:00:02.000Z', 'order-validation'),
    type: 'OrderRejected',
    version: 1,
    payload: {
      orderId,
      userId,
      reasons: [{ code: 'total-mismatch', message: 'the total is not the sum of the lines' }],
      placedAt: '2026-11-25T10:00:00.000Z',
      rejectedAt: '2026-11-25T10:00:02.000Z',
    },
  });
  const shipped = (orderId: string, userId: string, createdAt: string): ShipmentCreatedEvent => ({
    ...meta(`${orderId}:shipment`, createdAt, 'shipping'),
    type: 'ShipmentCreated',
    version: 1,
    payload: { shipmentId: `shp-${orderId}`, orderId, userId, address: berlin, createdAt },
  });
  const alerted = (alertId: string, orderId: string, userId: string, raisedAt: string): FraudAlertRaisedEvent => ({
    ...meta(alertId, raisedAt, 'fraud-detection'),
    type: 'FraudAlertRaised',
    version: 1,
    payload: { alertId, userId, orderId, rule: 'amount', evidence: { totalCents: 90_000 }, raisedAt },
  });

  const get = async (url: string) => {
    const response = await fetch(`${baseUrl}${url}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const waitHealthy = (description: string) =>
    waitUntil(async () => ((await fetch(`${baseUrl}/health`)).status === 200 ? true : undefined), { description, timeoutMs: 60_000 });
  /** The profile once `done` holds for it (the views are eventually consistent). */
  const profileWhen = (id: string, done: (body: Record<string, unknown>) => boolean, description: string) =>
    waitUntil(
      async () => {
        const { status, body } = await get(`/customers/${id}`);
        return status === 200 && done(body) ? body : undefined;
      },
      { description, timeoutMs: 60_000 },
    );

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: 'customer-profiles',
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
    });
    ({ baseUrl } = sut);
    ({ producer, rawProducer } = sut.kafka);
  });

  afterAll(() => sut?.stop());

  it('reports its four views caught up on an empty log, and knows no customer yet', async () => {
    await waitHealthy('/health to answer 200');
    const { body } = await get('/health');
    expect(body).toMatchObject({
      status: 'ok',
      checks: {
        views: [
          { view: 'users', topic: users.name, status: 'caught-up', lag: 0 },
          { view: 'customer-orders', topic: validations.name, status: 'caught-up', lag: 0 },
          { view: 'customer-shipments', topic: shipments.name, status: 'caught-up', lag: 0 },
          { view: 'customer-fraud-alerts', topic: alerts.name, status: 'caught-up', lag: 0 },
        ],
      },
    });
    const unknown = await get('/customers/u-1');
    expect(unknown.status).toBe(404);
    expect(unknown.body['message']).toMatch(/no customer "u-1"/);
  });

  it('builds the profile from the four topics: validated orders only, per currency, the last order and shipment, the alerts', async () => {
    await producer.send(users, [{ key: 'u-1', value: user('u-1', 'Ada Lovelace') }]);
    await producer.send(validations, [
      { key: 'o-1', value: validated('o-1', 'u-1', 2500, 'EUR', '2026-11-25T10:00:01.000Z') },
      { key: 'o-2', value: validated('o-2', 'u-1', 1000, 'USD', '2026-11-25T10:05:01.000Z') },
      { key: 'o-3', value: rejected('o-3', 'u-1') },
      { key: 'o-4', value: validated('o-4', 'u-1', 500, 'EUR', '2026-11-25T10:02:01.000Z') },
      // Redelivered (a producer retry): counted once.
      { key: 'o-1', value: validated('o-1', 'u-1', 2500, 'EUR', '2026-11-25T10:00:01.000Z') },
    ]);
    await producer.send(shipments, [
      { key: 'o-1', value: shipped('o-1', 'u-1', '2026-11-25T10:00:02.000Z') },
      { key: 'o-4', value: shipped('o-4', 'u-1', '2026-11-25T10:02:02.000Z') },
    ]);
    await producer.send(alerts, [
      { key: 'o-2', value: alerted('o-2-amount', 'o-2', 'u-1', '2026-11-25T10:05:02.000Z') },
      { key: 'o-2', value: alerted('o-2-amount', 'o-2', 'u-1', '2026-11-25T10:05:02.000Z') },
    ]);

    const profile = await profileWhen(
      'u-1',
      (b) =>
        b['orderCount'] === 3 &&
        (b['lastShipment'] as { orderId?: string } | null)?.orderId === 'o-4' &&
        b['openFraudAlerts'] !== undefined &&
        (b['openFraudAlerts'] as { count: number }).count === 1,
      'the profile of u-1',
    );
    expect(profile).toEqual({
      userId: 'u-1',
      user: { name: 'Ada Lovelace', email: 'u-1@example.com', country: 'DE' },
      orderCount: 3,
      lifetimeValue: [
        { currency: 'EUR', totalCents: 3000 },
        { currency: 'USD', totalCents: 1000 },
      ],
      lastOrder: { orderId: 'o-2', totalCents: 1000, currency: 'USD', validatedAt: '2026-11-25T10:05:01.000Z' },
      lastShipment: { shipmentId: 'shp-o-4', orderId: 'o-4', createdAt: '2026-11-25T10:02:02.000Z' },
      openFraudAlerts: {
        count: 1,
        alerts: [{ alertId: 'o-2-amount', orderId: 'o-2', rule: 'amount', raisedAt: '2026-11-25T10:05:02.000Z' }],
      },
    });
  });

  it('keeps the profile of a deleted user without the user, and rejects a malformed id', async () => {
    await rawProducer.send(users.name, [{ key: 'u-1', value: null }]);
    const profile = await profileWhen('u-1', (b) => b['user'] === null, 'the tombstone of u-1');
    expect(profile).toMatchObject({ userId: 'u-1', user: null, orderCount: 3 });

    const invalid = await get(`/customers/${encodeURIComponent('no such id!')}`);
    expect(invalid.status).toBe(400);
    expect(invalid.body['message']).toMatch(/is not a user id/);
  });

  it('keeps the same copy of an alert produced twice with different orders (a rebuilt fraud-detection), whatever comes first', async () => {
    await producer.send(users, [{ key: 'u-2', value: user('u-2', 'Grace Hopper') }]);
    // Keyed by order id: the two copies may sit on different partitions, applied in any order.
    await producer.send(alerts, [{ key: 'o-22', value: alerted('u-2-velocity', 'o-22', 'u-2', '2026-11-25T10:00:22.000Z') }]);
    await producer.send(alerts, [{ key: 'o-20', value: alerted('u-2-velocity', 'o-20', 'u-2', '2026-11-25T10:00:21.000Z') }]);
    await producer.send(alerts, [{ key: 'o-21', value: alerted('u-2-velocity', 'o-21', 'u-2', '2026-11-25T10:00:21.000Z') }]);
    // Neither the first (o-22) nor the last (o-21) copy: the earliest, then the smallest order id.
    await profileWhen('u-2', (b) => (b['openFraudAlerts'] as { count: number }).count === 1, 'the alert of u-2');
    await waitHealthy('every copy of the alert to be applied');
    const { body: profile } = await get('/customers/u-2');
    expect(profile['openFraudAlerts']).toEqual({
      count: 1,
      alerts: [{ alertId: 'u-2-velocity', orderId: 'o-20', rule: 'amount', raisedAt: '2026-11-25T10:00:21.000Z' }],
    });
  });

  it('serves the committed docs/openapi/customer-profiles.json at /docs/json and answers as it documents', async () => {
    const served = await get('/docs/json');
    expect(served.body).toEqual(JSON.parse(committedApiDocument('customer-profiles')));
    const check = apiAnswerCheck(served.body as unknown as ApiDocument);
    const answers: [string, string, string][] = [
      ['GET', '/customers/{id}', '/customers/u-1'],
      ['GET', '/customers/{id}', '/customers/u-never'],
      ['GET', '/customers/{id}', `/customers/${encodeURIComponent('no such id!')}`],
      ['GET', '/health/ready', '/health/ready'],
      ['POST', '/admin/views/{name}/rebuild', '/admin/views/no-such-view/rebuild'],
    ];
    const statuses: number[] = [];
    for (const [method, route, url] of answers) {
      const response = await fetch(`${baseUrl}${url}`, { method, headers: sut.adminHeaders });
      statuses.push(response.status);
      expect(check(method, route, response.status, await response.json())).toEqual([]);
    }
    expect(statuses).toEqual([200, 404, 400, 200, 404]);
  });

  it('rebuilds every view from offset 0 into the same profiles', async () => {
    const before = [await get('/customers/u-1'), await get('/customers/u-2')];
    const response = await fetch(`${baseUrl}/admin/rebuild`, { method: 'POST', headers: sut.adminHeaders });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      status: 'rebuilding',
      views: ['users', 'customer-orders', 'customer-shipments', 'customer-fraud-alerts'],
    });
    await waitHealthy('the rebuilt views to catch up');
    expect([await get('/customers/u-1'), await get('/customers/u-2')]).toEqual(before);
  });
});
