import type { INestApplication } from '@nestjs/common';
import {
  encodeValue,
  fraudAlertRaisedEventSchema,
  type FraudAlertRaisedEvent,
  Topics,
  withTopicPrefix,
  type OrderRejectedEvent,
  type OrderValidatedEvent,
  type OrderVerdictEvent,
  type UserRecord,
} from '@shop/contracts';
import { DeadLetterHeaders, readRecords, type Admin, type EventProducer, type KafkaClient, type Producer } from '@shop/kafka';
import { startServiceUnderTest, uniqueName, waitUntil, type ServiceUnderTest } from '@shop/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig, type FraudDetectionConfig } from './config/config';
import { PrismaService } from './database/prisma.service';

/**
 * The whole service against the harness's real broker and a fresh PostgreSQL database: users as CDC
 * would write them, verdicts as order-validation would, and what HTTP clients and `fraud-alerts` see.
 *
 * The orders of the window patterns (velocity, amount) are spread over every partition of
 * `order-validations` and written out of event-time order, so the order that crosses a threshold in
 * processing order varies from run to run (and from replay to replay). The alerts the HTTP API serves name
 * the crossing order by event time, so they are exact here, and a rebuild gives back identical JSON.
 */
/** Per alert id, the copy with the least (raisedAt, orderId): what a consumer keeping one copy ends with. */
function leastCopies(events: readonly FraudAlertRaisedEvent[]): Map<string, FraudAlertRaisedEvent> {
  const least = new Map<string, FraudAlertRaisedEvent>();
  for (const e of events) {
    const kept = least.get(e.id);
    const keptFirst =
      kept &&
      (kept.payload.raisedAt < e.payload.raisedAt ||
        (kept.payload.raisedAt === e.payload.raisedAt && kept.payload.orderId <= e.payload.orderId));
    if (!keptFirst) least.set(e.id, e);
  }
  return least;
}

describe('fraud-detection over HTTP', () => {
  const prefix = `${uniqueName('fd')}_`;
  const users = withTopicPrefix(Topics.users, prefix);
  const verdicts = withTopicPrefix(Topics.orderValidations, prefix);
  const alerts = withTopicPrefix(Topics.fraudAlerts, prefix);
  let app: INestApplication;
  let baseUrl: string;
  let client: KafkaClient;
  let admin: Admin;
  let rawProducer: Producer;
  let producer: EventProducer;

  const user = (id: string, createdAt: string, country = 'DE'): UserRecord => ({
    id,
    email: `${id}@example.com`,
    name: id,
    status: 'active',
    country,
    region: 'europe',
    address_line1: '1 Hauptstraße',
    city: 'Berlin',
    postal_code: '10115',
    created_at: createdAt,
    updated_at: createdAt,
  });

  const validated = (orderId: string, userId: string, placedAt: string, totalCents: number, country = 'DE'): OrderValidatedEvent => ({
    id: `${orderId}:verdict`,
    type: 'OrderValidated',
    version: 2,
    occurredAt: placedAt,
    source: 'order-validation',
    correlationId: orderId,
    causationId: `${orderId}:placed`,
    payload: {
      orderId,
      userId,
      totalCents,
      currency: 'EUR',
      lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: totalCents }],
      shippingAddress: { line1: '1 Main Street', city: 'Somewhere', postalCode: '12345', country },
      placedAt,
      validatedAt: placedAt,
    },
  });

  const rejected = (orderId: string, userId: string, placedAt: string): OrderRejectedEvent => ({
    id: `${orderId}:verdict`,
    type: 'OrderRejected',
    version: 1,
    occurredAt: placedAt,
    source: 'order-validation',
    correlationId: orderId,
    causationId: `${orderId}:placed`,
    payload: { orderId, userId, reasons: [{ code: 'total-mismatch', message: 'no' }], placedAt, rejectedAt: placedAt },
  });

  const send = (events: readonly OrderVerdictEvent[]) =>
    producer.send(
      verdicts,
      events.map((e) => ({ key: e.payload.orderId, value: e })),
    );
  /** Latest event time first, round-robin over every partition: the processing order is not the event-time order. */
  const sendSpread = async (events: readonly OrderVerdictEvent[]) => {
    const partitions = (await admin.fetchOffsets(verdicts.name)).length;
    expect(partitions).toBeGreaterThan(1);
    const latestFirst = [...events].sort((a, b) => Date.parse(b.payload.placedAt) - Date.parse(a.payload.placedAt));
    await rawProducer.send(
      verdicts.name,
      latestFirst.map((e, i) => ({ key: e.payload.orderId, value: encodeValue(verdicts, e), partition: i % partitions })),
    );
  };

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const caughtUp = async () => ((await get('/health')).status === 200 ? true : undefined);
  const waitCaughtUp = (what: string) => waitUntil(caughtUp, { description: `views caught up (${what})`, timeoutMs: 60_000 });
  const listAlerts = async (query = '') =>
    (await get(`/alerts?limit=200${query}`)).body as { total: number; items: Record<string, unknown>[] };
  const topicSize = async (name: string) => (await admin.fetchOffsets(name)).reduce((sum, p) => sum + Number(p.high - p.low), 0);
  const window = (userId: string, size: '10m' | '1h', start: string) =>
    app
      .get(PrismaService)
      .fraudUserWindow.findUnique({ where: { userId_windowSize_windowStart: { userId, windowSize: size, windowStart: new Date(start) } } });

  // Event times of the scenario.
  const OLD = '2020-01-01T00:00:00.000000Z';
  const burst = Array.from({ length: 7 }, (_, i) => validated(`burst-${i}`, 'u-burst', `2026-11-20T10:2${i}:00.000Z`, 1_000));
  const big = [
    validated('big-0', 'u-big', '2026-11-20T11:05:00.000Z', 300_000),
    validated('big-1', 'u-big', '2026-11-20T11:55:00.000Z', 250_000),
  ];
  const abroad = validated('abroad-0', 'u-de', '2026-11-20T12:00:00.000Z', 5_000, 'FR');
  const fresh = validated('fresh-0', 'u-new', '2026-11-20T12:59:59.999Z', 100_000);
  // Just below every threshold: 5 orders in one 10-minute window totalling exactly 500,000 in the hour, a new
  // account's order of 99,999, an account exactly 24 h old ordering 100,000, a rejected order.
  const normal = [
    ...Array.from({ length: 5 }, (_, i) => validated(`normal-${i}`, 'u-normal', `2026-11-20T10:0${i * 2}:00.000Z`, 100_000)),
    validated('normal-late', 'u-normal', '2026-11-20T10:10:00.000Z', 0),
    validated('small-0', 'u-new', '2026-11-20T12:30:00.000Z', 99_999),
    validated('day-0', 'u-day', '2026-11-21T09:00:00.000Z', 100_000),
  ];

  let sut: ServiceUnderTest<FraudDetectionConfig>;

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: SERVICE_NAME,
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
      env: { JOIN_CATCH_UP_MS: '30000' },
    });
    ({ app, baseUrl } = sut);
    ({ client, admin, rawProducer, producer } = sut.kafka);
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('provisions its topics and reports healthy on an empty log', async () => {
    expect(await admin.listTopics()).toEqual(
      expect.arrayContaining([users.name, `${users.name}.dlq`, verdicts.name, `${verdicts.name}.dlq`, alerts.name, `${alerts.name}.dlq`]),
    );
    await waitCaughtUp('empty log');
    const { body } = await get('/health');
    expect(body).toMatchObject({ status: 'ok', checks: { views: [{ view: 'users' }, { view: 'verdicts' }] } });
  });

  it('raises nothing for traffic just below every threshold', async () => {
    await producer.send(users, [
      { key: 'u-burst', value: user('u-burst', OLD) },
      { key: 'u-big', value: user('u-big', OLD) },
      { key: 'u-de', value: user('u-de', OLD) },
      { key: 'u-normal', value: user('u-normal', OLD) },
      { key: 'u-new', value: user('u-new', '2026-11-20T12:00:00.000Z') },
      { key: 'u-day', value: user('u-day', '2026-11-20T09:00:00.000Z') },
    ]);
    await send([...normal, rejected('rejected-0', 'u-normal', '2026-11-20T10:03:00.000Z')]);
    await waitCaughtUp('normal traffic');
    expect(await listAlerts()).toMatchObject({ total: 0, items: [] });
    expect(await window('u-normal', '10m', '2026-11-20T10:00:00.000Z')).toMatchObject({ orderCount: 5, totalCents: 500_000n });
    expect(await window('u-normal', '1h', '2026-11-20T10:00:00.000Z')).toMatchObject({ orderCount: 6, totalCents: 500_000n });
    expect(await topicSize(alerts.name)).toBe(0);
  });

  it('fires each rule exactly once for a planted pattern', async () => {
    await sendSpread([...burst, ...big]);
    await send([abroad, fresh]);
    await waitCaughtUp('planted patterns');

    const listed = await listAlerts();
    expect(listed.total).toBe(4);
    // Newest first (raisedAt = the order's placedAt).
    expect(listed.items.map((a) => [a['rule'], a['userId'], a['orderId'], a['raisedAt']])).toEqual([
      ['new-account-large-order', 'u-new', 'fresh-0', '2026-11-20T12:59:59.999Z'],
      ['country-mismatch', 'u-de', 'abroad-0', '2026-11-20T12:00:00.000Z'],
      ['amount', 'u-big', 'big-1', '2026-11-20T11:55:00.000Z'],
      ['velocity', 'u-burst', 'burst-5', '2026-11-20T10:25:00.000Z'],
    ]);
    const velocity = listed.items[3];
    expect(velocity).toEqual({
      alertId: 'u-burst-velocity-2026-11-20T10-20-00-000Z',
      eventId: 'u-burst:velocity:2026-11-20T10:20:00.000Z',
      rule: 'velocity',
      userId: 'u-burst',
      orderId: 'burst-5',
      evidence: {
        windowSize: '10m',
        windowStart: '2026-11-20T10:20:00.000Z',
        windowEnd: '2026-11-20T10:30:00.000Z',
        orderCount: 6,
        totalCents: 6_000,
        maxOrders: 5,
      },
      raisedAt: '2026-11-20T10:25:00.000Z',
      causationId: 'burst-5:verdict',
    });
    expect(listed.items[2]?.['evidence']).toMatchObject({
      windowSize: '1h',
      windowStart: '2026-11-20T11:00:00.000Z',
      totalCents: 550_000,
      orderCount: 2,
    });
    expect(listed.items[1]?.['evidence']).toEqual({ shippingCountry: 'FR', userCountry: 'DE' });
    expect(listed.items[0]?.['evidence']).toMatchObject({ totalCents: 100_000, accountAgeSeconds: 3_599 });

    // The produced events: envelope id = readable id, payload.alertId = contract-safe id. A window alert's event
    // names the crossing order by event time of the orders seen so far, and is produced again when a late order
    // moves the crossing earlier: the least copy of each id (raisedAt, orderId) is the view's alert.
    const total = await topicSize(alerts.name);
    expect(total).toBeGreaterThanOrEqual(4);
    const records = await readRecords(client, alerts.name, uniqueName('fd_read'), total);
    const events = records.map((r) => fraudAlertRaisedEventSchema.parse(JSON.parse(r.value?.toString('utf8') ?? 'null')));
    const leastById = new Map<string, (typeof events)[number]>();
    for (const e of events) {
      const kept = leastById.get(e.id);
      const earlier =
        kept &&
        (kept.payload.raisedAt < e.payload.raisedAt ||
          (kept.payload.raisedAt === e.payload.raisedAt && kept.payload.orderId < e.payload.orderId));
      if (!earlier) leastById.set(e.id, e);
    }
    expect([...leastById.keys()].sort()).toEqual(listed.items.map((a) => a['eventId']).sort());
    for (const item of listed.items) {
      expect(leastById.get(String(item['eventId']))?.payload).toMatchObject({ orderId: item['orderId'], raisedAt: item['raisedAt'] });
    }
    const velocityEvent = leastById.get('u-burst:velocity:2026-11-20T10:20:00.000Z');
    expect(velocityEvent).toMatchObject({
      source: 'fraud-detection',
      payload: { alertId: 'u-burst-velocity-2026-11-20T10-20-00-000Z', userId: 'u-burst', rule: 'velocity' },
    });
    expect(velocityEvent).toMatchObject({
      correlationId: velocityEvent?.payload.orderId,
      causationId: `${velocityEvent?.payload.orderId}:verdict`,
      occurredAt: velocityEvent?.payload.raisedAt,
    });
    expect(records.find((r) => r.key?.toString() === velocityEvent?.payload.orderId)).toBeDefined();
    expect(events.find((e) => e.payload.rule === 'country-mismatch')).toMatchObject({
      correlationId: 'abroad-0',
      causationId: 'abroad-0:verdict',
    });
  });

  it('filters the listing and serves one alert by either id', async () => {
    expect((await listAlerts('&rule=velocity')).items.map((a) => a['userId'])).toEqual(['u-burst']);
    expect((await listAlerts('&userId=u-new')).items.map((a) => a['rule'])).toEqual(['new-account-large-order']);
    expect(await listAlerts('&userId=u-normal')).toEqual({ total: 0, limit: 200, offset: 0, items: [] });
    const page = await get('/alerts?limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 4, limit: 1, offset: 1, items: [{ rule: 'country-mismatch' }] });

    const bySafeId = await get('/alerts/u-big-amount-2026-11-20T11-00-00-000Z');
    expect(bySafeId.status).toBe(200);
    const byEventId = await get(`/alerts/${encodeURIComponent('u-big:amount:2026-11-20T11:00:00.000Z')}`);
    expect(byEventId).toEqual(bySafeId);
    expect((await get('/alerts/nope')).status).toBe(404);
    expect((await get(`/alerts/${encodeURIComponent('not an id')}`)).status).toBe(400);
    const bad = await get('/alerts?rule=speed&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body['reasons']).toEqual([
      'rule must be one of velocity, amount, country-mismatch, new-account-large-order',
      'limit must be at least 1',
    ]);
  });

  it('does not double-count redelivered verdicts', async () => {
    await sendSpread([...burst, ...big]);
    await send([...normal, abroad, fresh]);
    await send(normal.slice(0, 2)); // twice more
    await waitCaughtUp('redeliveries');
    // Counted twice, u-normal's window would hold 10 orders and 1,000,000 cents and fire both window rules.
    expect(await window('u-normal', '10m', '2026-11-20T10:00:00.000Z')).toMatchObject({ orderCount: 5, totalCents: 500_000n });
    expect(await window('u-burst', '10m', '2026-11-20T10:20:00.000Z')).toMatchObject({ orderCount: 7, totalCents: 7_000n });
    expect(await window('u-big', '1h', '2026-11-20T11:00:00.000Z')).toMatchObject({ orderCount: 2, totalCents: 550_000n });
    expect((await listAlerts()).total).toBe(4);
    expect(await topicSize(alerts.name)).toBe(4);
  });

  it('sends a malformed record to the dead-letter topic and keeps processing', async () => {
    await rawProducer.send(verdicts.name, [
      { key: 'broken-json', value: '{ not json' },
      { key: 'broken-schema', value: JSON.stringify({ ...validated('broken-schema', 'u-de', '2026-11-20T13:00:00.000Z', 1), version: 7 }) },
    ]);
    await send([validated('abroad-1', 'u-de', '2026-11-20T13:30:00.000Z', 5_000, 'US')]);
    const letters = await readRecords(client, `${verdicts.name}.dlq`, uniqueName('fd_dlq'), 2);
    expect(letters.map((r) => r.key?.toString()).sort()).toEqual(['broken-json', 'broken-schema']);
    const json = letters.find((r) => r.key?.toString() === 'broken-json');
    expect(json?.value?.toString()).toBe('{ not json');
    expect(json?.headers[DeadLetterHeaders.errorMessage]).toMatch(/is not JSON/);
    expect(json?.headers[DeadLetterHeaders.consumer]).toBe(`${prefix}fraud-detection.verdicts`);

    await waitCaughtUp('after the dead letters');
    const after = await get('/alerts/abroad-1-country-mismatch');
    expect(after).toMatchObject({
      status: 200,
      body: { rule: 'country-mismatch', evidence: { shippingCountry: 'US', userCountry: 'DE' } },
    });
    expect((await listAlerts()).total).toBe(5);
  });

  it('fires a window once when its orders arrive on every partition at once', async () => {
    // 12 orders of one user in one 10-minute (and 1-hour) window, keyed by orderId over all partitions, latest
    // event time first, applied by concurrent transactions: the window rows serialize them, so each window
    // crosses once; the view names the crossing order by event time, (placedAt, orderId).
    await producer.send(users, [{ key: 'u-spread', value: user('u-spread', OLD) }]);
    const spread = Array.from({ length: 12 }, (_, i) =>
      validated(`spread-${String(i).padStart(2, '0')}`, 'u-spread', `2026-11-20T14:0${Math.floor(i / 2)}:00.000Z`, 50_000),
    );
    await send([...spread].reverse());
    await waitCaughtUp('orders over all partitions');
    const fired = (await listAlerts('&userId=u-spread')).items;
    expect(fired.map((a) => a['rule']).sort()).toEqual(['amount', 'velocity']);
    expect(fired.find((a) => a['rule'] === 'velocity')).toMatchObject({
      orderId: 'spread-05',
      raisedAt: '2026-11-20T14:02:00.000Z',
      causationId: 'spread-05:verdict',
      evidence: { orderCount: 6, totalCents: 300_000 },
    });
    expect(fired.find((a) => a['rule'] === 'amount')).toMatchObject({
      orderId: 'spread-10',
      raisedAt: '2026-11-20T14:05:00.000Z',
      causationId: 'spread-10:verdict',
      evidence: { orderCount: 11, totalCents: 550_000 },
    });
    expect(await window('u-spread', '10m', '2026-11-20T14:00:00.000Z')).toMatchObject({ orderCount: 12, totalCents: 600_000n });
  });

  it('rebuilds into identical alerts without new alert ids', async () => {
    await waitCaughtUp('before the rebuild');
    // Raw JSON, as clients see it: the window alerts of u-burst, u-big and u-spread came from orders spread
    // over every partition, out of event-time order.
    const snapshot = async () => {
      const list = await (await fetch(`${baseUrl}/alerts?limit=200`)).text();
      const ids = (JSON.parse(list) as { items: { alertId: string }[] }).items.map((a) => a.alertId);
      const single = await Promise.all(ids.map(async (id) => (await fetch(`${baseUrl}/alerts/${id}`)).text()));
      return { list, single };
    };
    const before = await snapshot();
    expect((JSON.parse(before.list) as { total: number }).total).toBe(7);
    const sizeBefore = await topicSize(alerts.name);
    expect(sizeBefore).toBeGreaterThanOrEqual(7);
    const eventIdsBefore = new Set(
      (await readRecords(client, alerts.name, uniqueName('fd_read'), sizeBefore)).map(
        (r) => JSON.parse(r.value?.toString() ?? '{}').id as string,
      ),
    );
    expect(eventIdsBefore.size).toBe(7);

    const response = await fetch(`${baseUrl}/admin/rebuild`, { method: 'POST', headers: sut.adminHeaders });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'rebuilding', views: ['users', 'verdicts'] });

    // The rebuild re-produces the alerts it finds again (same ids, each at least once): wait until they are back.
    await waitUntil(async () => (await topicSize(alerts.name)) >= sizeBefore + 7, {
      description: 'alerts produced again by the replay',
      timeoutMs: 60_000,
    });
    await waitCaughtUp('after the rebuild');
    expect(await snapshot()).toEqual(before);
    expect(await window('u-normal', '10m', '2026-11-20T10:00:00.000Z')).toMatchObject({ orderCount: 5, totalCents: 500_000n });

    const all = await readRecords(client, alerts.name, uniqueName('fd_read'), await topicSize(alerts.name));
    const events = all.map((r) => fraudAlertRaisedEventSchema.parse(JSON.parse(r.value?.toString('utf8') ?? 'null')));
    expect(new Set(events.map((e) => e.id))).toEqual(eventIdsBefore);
    // A consumer keeping the least copy of each id still has the view's alerts after the re-produced copies.
    const items = (JSON.parse(before.list) as { items: { eventId: string; orderId: string; raisedAt: string }[] }).items;
    const least = leastCopies(events);
    for (const item of items) expect(least.get(item.eventId)?.payload).toMatchObject({ orderId: item.orderId, raisedAt: item.raisedAt });
  });
});
