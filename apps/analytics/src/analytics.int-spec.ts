import { ANALYTICS_DIMENSIONS, Topics, withTopicPrefix } from '@shop/contracts';
import { DeadLetterHeaders, readRecords, type Admin, type EventProducer, type KafkaClient, type Producer } from '@shop/kafka';
import { startServiceUnderTest, uniqueName, waitUntil, type ServiceUnderTest } from '@shop/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig, type AnalyticsConfig } from './config/config';
import { alert, line, rejected, shipment, user, validated, validatedV1 } from './test-support/events';

/**
 * The whole service against the harness's real broker and a fresh PostgreSQL database: boots the Nest app
 * as main.ts does, feeds its four topics as the other services would, and checks what HTTP clients see,
 * the dead-letter topics, redeliveries and a rebuild from the log.
 */
describe('analytics over HTTP', () => {
  const prefix = `${uniqueName('an')}_`;
  const topics = {
    users: withTopicPrefix(Topics.users, prefix),
    verdicts: withTopicPrefix(Topics.orderValidations, prefix),
    shipments: withTopicPrefix(Topics.shipments, prefix),
    alerts: withTopicPrefix(Topics.fraudAlerts, prefix),
  };
  let baseUrl: string;
  let client: KafkaClient;
  let admin: Admin;
  let rawProducer: Producer;
  let producer: EventProducer;

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const healthy = async () => ((await get('/health')).status === 200 ? true : undefined);
  const totals = async () => (await get('/analytics/totals')).body;
  /** Every endpoint's answer: totals and all 12 window reports. */
  const snapshot = async () => {
    const windows: Record<string, unknown> = {};
    for (const size of ['1m', '1h', 'total']) {
      for (const dimension of ANALYTICS_DIMENSIONS) {
        const { status, body } = await get(`/analytics/windows?size=${size}&dimension=${dimension}`);
        expect(status).toBe(200);
        windows[`${size}/${dimension}`] = body;
      }
    }
    return { totals: await totals(), windows };
  };

  let sut: ServiceUnderTest<AnalyticsConfig>;

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: SERVICE_NAME,
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
      env: { JOIN_CATCH_UP_MS: '30000' },
      logLevel: 'error',
    });
    ({ baseUrl } = sut);
    ({ client, admin, rawProducer, producer } = sut.kafka);
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('provisions its topics at start, reports healthy on an empty log and counts nothing', async () => {
    const existing = await admin.listTopics();
    for (const t of Object.values(topics)) expect(existing).toEqual(expect.arrayContaining([t.name, `${t.name}.dlq`]));
    await waitUntil(healthy, { description: '/health to answer 200', timeoutMs: 30_000 });
    const { body } = await get('/health');
    expect((body['checks'] as { views: { view: string }[] }).views.map((v) => v.view)).toEqual([
      'users',
      'verdicts',
      'shipments',
      'fraud-alerts',
    ]);
    expect(await totals()).toEqual({
      orders: { validated: 0, rejected: 0 },
      revenueCents: 0,
      shipments: 0,
      fraudAlerts: { total: 0, byRule: {} },
    });
    expect((await get('/analytics/windows?size=1m&dimension=region')).body).toEqual({
      size: '1m',
      dimension: 'region',
      from: null,
      to: null,
      windows: [],
    });
  });

  it('rolls validated orders up by region, product and category on event time', async () => {
    await producer.send(topics.users, [
      { key: 'u-eu', value: user('u-eu', 'europe') },
      { key: 'u-na', value: user('u-na', 'north-america') },
    ]);
    await producer.send(topics.verdicts, [
      { key: 'o-1', value: validated('o-1', 'u-eu', '2026-11-25T10:00:30Z', [line('p-book', 'books', 2, 1250)]) },
      {
        key: 'o-2',
        value: validated('o-2', 'u-na', '2026-11-25T10:00:45+00:00', [line('p-book', 'books', 1, 1250), line('p-lamp', 'home', 1, 5000)]),
      },
      { key: 'o-3', value: validated('o-3', 'u-eu', '2026-11-25T11:01:10+01:00', [line('p-lamp', 'home', 3, 5000)]) },
      { key: 'o-4', value: validated('o-4', 'u-nobody', '2026-11-25T11:59:59.999Z', [line('p-pen', 'office', 10, 100)]) },
      {
        key: 'o-5',
        value: validated('o-5', 'u-na', '2026-11-25T12:00:00Z', [line('p-pen', 'office', 5, 100), line('p-book', 'books', 1, 1250)]),
      },
      { key: 'o-6', value: rejected('o-6', 'u-eu', '2026-11-25T10:00:10Z') },
      { key: 'o-7', value: rejected('o-7', 'u-na', '2026-11-25T10:00:20Z') },
    ]);
    await waitUntil(async () => ((await totals())['orders'] as { validated: number; rejected: number }).validated === 5 || undefined, {
      description: '5 validated orders counted',
      timeoutMs: 30_000,
    });
    await waitUntil(healthy, { description: 'every view caught up', timeoutMs: 30_000 });

    expect(await totals()).toEqual({
      orders: { validated: 5, rejected: 2 },
      revenueCents: 2500 + 6250 + 15000 + 1000 + 1750,
      shipments: 0,
      fraudAlerts: { total: 0, byRule: {} },
    });
    expect((await get('/analytics/windows?size=1m&dimension=region')).body).toEqual({
      size: '1m',
      dimension: 'region',
      from: null,
      to: null,
      windows: [
        {
          windowStart: '2026-11-25T10:00:00.000Z',
          windowEnd: '2026-11-25T10:01:00.000Z',
          values: [
            { value: 'europe', count: 1, revenueCents: 2500 },
            { value: 'north-america', count: 1, revenueCents: 6250 },
          ],
        },
        {
          windowStart: '2026-11-25T10:01:00.000Z',
          windowEnd: '2026-11-25T10:02:00.000Z',
          values: [{ value: 'europe', count: 1, revenueCents: 15000 }],
        },
        {
          windowStart: '2026-11-25T11:59:00.000Z',
          windowEnd: '2026-11-25T12:00:00.000Z',
          values: [{ value: 'unknown', count: 1, revenueCents: 1000 }],
        },
        {
          windowStart: '2026-11-25T12:00:00.000Z',
          windowEnd: '2026-11-25T12:01:00.000Z',
          values: [{ value: 'north-america', count: 1, revenueCents: 1750 }],
        },
      ],
    });
    expect((await get('/analytics/windows?size=1h&dimension=product')).body['windows']).toEqual([
      {
        windowStart: '2026-11-25T10:00:00.000Z',
        windowEnd: '2026-11-25T11:00:00.000Z',
        values: [
          { value: 'p-book', count: 3, revenueCents: 3750 },
          { value: 'p-lamp', count: 4, revenueCents: 20000 },
        ],
      },
      {
        windowStart: '2026-11-25T11:00:00.000Z',
        windowEnd: '2026-11-25T12:00:00.000Z',
        values: [{ value: 'p-pen', count: 10, revenueCents: 1000 }],
      },
      {
        windowStart: '2026-11-25T12:00:00.000Z',
        windowEnd: '2026-11-25T13:00:00.000Z',
        values: [
          { value: 'p-book', count: 1, revenueCents: 1250 },
          { value: 'p-pen', count: 5, revenueCents: 500 },
        ],
      },
    ]);
    expect((await get('/analytics/windows?size=total&dimension=category')).body['windows']).toEqual([
      {
        windowStart: null,
        windowEnd: null,
        values: [
          { value: 'books', count: 4, revenueCents: 5000 },
          { value: 'home', count: 4, revenueCents: 20000 },
          { value: 'office', count: 15, revenueCents: 1500 },
        ],
      },
    ]);
    // from inclusive, to exclusive, on the window start.
    const ranged = await get('/analytics/windows?size=1m&dimension=region&from=2026-11-25T10:01:00Z&to=2026-11-25T12:00:00Z');
    expect(ranged.body['from']).toBe('2026-11-25T10:01:00.000Z');
    expect((ranged.body['windows'] as { windowStart: string }[]).map((w) => w.windowStart)).toEqual([
      '2026-11-25T10:01:00.000Z',
      '2026-11-25T11:59:00.000Z',
    ]);
  });

  it('counts shipments and fraud alerts by rule', async () => {
    await producer.send(topics.shipments, [
      { key: 'o-1', value: shipment('o-1', 'u-eu') },
      { key: 'o-2', value: shipment('o-2', 'u-na') },
    ]);
    await producer.send(topics.alerts, [
      { key: 'o-3', value: alert('u-eu-velocity-2026-11-25T10-00', 'o-3', 'u-eu', 'velocity') },
      { key: 'o-3', value: alert('o-3-new-account-large-order', 'o-3', 'u-eu', 'new-account-large-order') },
      { key: 'o-5', value: alert('o-5-country-mismatch', 'o-5', 'u-na', 'country-mismatch') },
    ]);
    const counted = await waitUntil(
      async () => {
        const t = await totals();
        return t['shipments'] === 2 && (t['fraudAlerts'] as { total: number }).total === 3 ? t : undefined;
      },
      { description: '2 shipments and 3 alerts counted', timeoutMs: 30_000 },
    );
    expect(counted).toEqual({
      orders: { validated: 5, rejected: 2 },
      revenueCents: 26500,
      shipments: 2,
      fraudAlerts: { total: 3, byRule: { 'country-mismatch': 1, 'new-account-large-order': 1, velocity: 1 } },
    });
  });

  it('does not double anything for a redelivered verdict, shipment or alert', async () => {
    await waitUntil(healthy, { description: 'every view caught up', timeoutMs: 30_000 });
    const before = await snapshot();
    // Redeliveries across chunks (the originals are committed) and inside one chunk.
    const o1 = validated('o-1', 'u-eu', '2026-11-25T10:00:30Z', [line('p-book', 'books', 2, 1250)]);
    await producer.send(topics.verdicts, [
      { key: 'o-1', value: o1 },
      { key: 'o-6', value: rejected('o-6', 'u-eu', '2026-11-25T10:00:10Z') },
      { key: 'o-1', value: o1 },
    ]);
    await producer.send(topics.shipments, [
      { key: 'o-1', value: shipment('o-1', 'u-eu') },
      { key: 'o-1', value: shipment('o-1', 'u-eu') },
    ]);
    await producer.send(topics.alerts, [{ key: 'o-5', value: alert('o-5-country-mismatch', 'o-5', 'u-na', 'country-mismatch') }]);
    await waitUntil(healthy, { description: 'the redeliveries to be consumed', timeoutMs: 30_000 });
    expect(await snapshot()).toEqual(before);
  });

  it('sends malformed records to <topic>.dlq and keeps counting', async () => {
    await rawProducer.send(topics.verdicts.name, [{ key: 'o-8', value: '{not json' }]);
    await rawProducer.send(topics.shipments.name, [
      { key: 'o-3', value: JSON.stringify({ ...shipment('o-3', 'u-eu'), type: 'ShipmentLost' }) },
    ]);
    await rawProducer.send(topics.alerts.name, [{ key: 'o-4', value: null }]);
    // Same keys → same partitions: these are counted only if the partitions moved past the bad records.
    await producer.send(topics.verdicts, [
      { key: 'o-8', value: validated('o-8', 'u-eu', '2026-11-25T10:00:59.999Z', [line('p-book', 'books', 1, 1250)]) },
    ]);
    await producer.send(topics.shipments, [{ key: 'o-3', value: shipment('o-3', 'u-eu') }]);
    await producer.send(topics.alerts, [{ key: 'o-4', value: alert('o-4-amount', 'o-4', 'u-nobody', 'amount') }]);

    const counted = await waitUntil(
      async () => {
        const t = await totals();
        return (t['orders'] as { validated: number }).validated === 6 &&
          t['shipments'] === 3 &&
          (t['fraudAlerts'] as { total: number }).total === 4
          ? t
          : undefined;
      },
      { description: 'the records after the malformed ones to be counted', timeoutMs: 30_000 },
    );
    expect(counted).toMatchObject({ orders: { validated: 6, rejected: 2 }, revenueCents: 27750, shipments: 3 });

    const [verdictLetter] = await readRecords(client, `${topics.verdicts.name}.dlq`, uniqueName('an_dlq'), 1);
    expect(verdictLetter?.value?.toString()).toBe('{not json');
    expect(verdictLetter?.key?.toString()).toBe('o-8');
    expect(verdictLetter?.headers[DeadLetterHeaders.errorMessage]).toMatch(/is not JSON/);
    const [shipmentLetter] = await readRecords(client, `${topics.shipments.name}.dlq`, uniqueName('an_dlq'), 1);
    expect(shipmentLetter?.headers[DeadLetterHeaders.errorMessage]).toMatch(/does not match its schema: type/);
    const [alertLetter] = await readRecords(client, `${topics.alerts.name}.dlq`, uniqueName('an_dlq'), 1);
    expect(alertLetter?.headers[DeadLetterHeaders.errorMessage]).toMatch(/has no value/);
  });

  it("reads OrderValidated v1 records (raw, as older order-validation wrote them) and counts them under channel 'unknown'", async () => {
    const at = '2026-12-01T10:00:00Z';
    await rawProducer.send(topics.verdicts.name, [
      { key: 'o-v1', value: JSON.stringify(validatedV1('o-v1', 'u-eu', at, [line('p-book', 'books', 1, 1000)])) },
    ]);
    await producer.send(topics.verdicts, [
      { key: 'o-web', value: validated('o-web', 'u-eu', at, [line('p-book', 'books', 1, 200)], 'web') },
      { key: 'o-mobile', value: validated('o-mobile', 'u-na', at, [line('p-pen', 'office', 3, 100)], 'mobile') },
      { key: 'o-mobile-2', value: validated('o-mobile-2', 'u-na', at, [line('p-pen', 'office', 1, 100)], 'mobile') },
    ]);
    await waitUntil(async () => ((await totals())['orders'] as { validated: number }).validated === 10 || undefined, {
      description: 'the v1 and v2 verdicts to be counted',
      timeoutMs: 30_000,
    });
    expect((await get('/analytics/windows?size=1h&dimension=channel&from=2026-12-01T00:00:00Z')).body['windows']).toEqual([
      {
        windowStart: '2026-12-01T10:00:00.000Z',
        windowEnd: '2026-12-01T11:00:00.000Z',
        values: [
          { value: 'mobile', count: 2, revenueCents: 400 },
          { value: 'unknown', count: 1, revenueCents: 1000 },
          { value: 'web', count: 1, revenueCents: 200 },
        ],
      },
    ]);
    // The v1 record is counted like any other verdict (region, product, …), not dead-lettered.
    expect((await get('/analytics/windows?size=1h&dimension=region&from=2026-12-01T00:00:00Z')).body['windows']).toEqual([
      {
        windowStart: '2026-12-01T10:00:00.000Z',
        windowEnd: '2026-12-01T11:00:00.000Z',
        values: [
          { value: 'europe', count: 2, revenueCents: 1200 },
          { value: 'north-america', count: 2, revenueCents: 400 },
        ],
      },
    ]);
    // Every earlier verdict had no channel (v2 without one): 'unknown' too, so the running total by channel
    // adds up to all validated orders.
    const [total] = (await get('/analytics/windows?size=total&dimension=channel')).body['windows'] as { values: { count: number }[] }[];
    expect(total?.values.reduce((sum, v) => sum + v.count, 0)).toBe(10);
  });

  it('answers 400 with every reason on a bad windows query', async () => {
    const bad = await get('/analytics/windows?size=5m&dimension=country&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'invalid query',
      reasons: [
        'size must be one of 1m, 1h, total (got "5m")',
        'dimension must be one of region, product, category, channel (got "country")',
        'from must be an ISO-8601 date-time with a zone, e.g. 2026-11-25T10:00:00Z (got "yesterday")',
      ],
    });
    const missing = await get('/analytics/windows');
    expect(missing.status).toBe(400);
    expect(missing.body['reasons']).toEqual([
      'size is required (one of 1m, 1h, total)',
      'dimension is required (one of region, product, category, channel)',
    ]);
    const twice = await get('/analytics/windows?size=1m&size=1h&dimension=region');
    expect(twice.body['reasons']).toEqual(['size must be given once']);
  });

  it('rebuilds every view from the log into identical numbers', async () => {
    await waitUntil(healthy, { description: 'every view caught up', timeoutMs: 30_000 });
    const before = await snapshot();
    expect(before.totals).toMatchObject({ orders: { validated: 10, rejected: 2 }, shipments: 3 });

    const response = await fetch(`${baseUrl}/admin/rebuild`, { method: 'POST', headers: sut.adminHeaders });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'rebuilding', views: ['users', 'verdicts', 'shipments', 'fraud-alerts'] });

    await waitUntil(healthy, { description: 'the rebuilt views to catch up', timeoutMs: 60_000 });
    expect(await snapshot()).toEqual(before);
  });
});
