import {
  Topics,
  withTopicPrefix,
  type Address,
  type OrderRejectedEvent,
  type OrderValidatedEvent,
  type ShipmentCreatedEvent,
  type UserRecord,
} from '@shop/contracts';
import {
  DeadLetterHeaders,
  readRecords,
  toDeadLetterRecord,
  type Admin,
  type EventProducer,
  type KafkaClient,
  type Producer,
} from '@shop/kafka';
import { committedApiDocument } from '@shop/nest-platform';
import { apiAnswerCheck, startServiceUnderTest, uniqueName, waitUntil, type ApiDocument, type ServiceUnderTest } from '@shop/testing';
import { AppModule } from './app.module';
import { loadConfig, type ShippingConfig } from './config/config';
import { PrismaService } from './database/prisma.service';

/**
 * The whole service against the harness's real broker and a fresh PostgreSQL database: boots the Nest app
 * as main.ts does, feeds `users` (as CDC would) and `order-validations` (as order-validation would), and
 * checks the HTTP API and what it produces on `shipments`.
 */
describe('shipping over HTTP and Kafka', () => {
  const prefix = `${uniqueName('shp')}_`;
  const users = withTopicPrefix(Topics.users, prefix);
  const validations = withTopicPrefix(Topics.orderValidations, prefix);
  const shipments = withTopicPrefix(Topics.shipments, prefix);
  const ownTopics = [users, validations, shipments].flatMap((t) => [t.name, `${t.name}.dlq`]);
  let baseUrl: string;
  let client: KafkaClient;
  let admin: Admin;
  let rawProducer: Producer;
  let producer: EventProducer;

  const berlin: Address = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };
  const munich: Address = { line1: '9 Marienplatz', city: 'München', postalCode: '80331', country: 'DE' };

  const user = (id: string, name: string, address: Address = berlin, overrides: Partial<UserRecord> = {}): UserRecord => ({
    id,
    email: `${id}@example.com`,
    name,
    status: 'active',
    country: address.country,
    region: 'europe',
    address_line1: address.line1,
    city: address.city,
    postal_code: address.postalCode,
    created_at: '2026-11-25T10:00:00.000Z',
    updated_at: '2026-11-25T10:00:00.000Z',
    ...overrides,
  });

  const validated = (orderId: string, userId: string, shippingAddress: Address, validatedAt: string): OrderValidatedEvent => ({
    id: `${orderId}:verdict`,
    type: 'OrderValidated',
    version: 2,
    occurredAt: validatedAt,
    source: 'order-validation',
    correlationId: orderId,
    causationId: `${orderId}:placed`,
    payload: {
      orderId,
      userId,
      totalCents: 2500,
      currency: 'EUR',
      lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: 2500 }],
      shippingAddress,
      placedAt: '2026-11-25T10:00:00.000Z',
      validatedAt,
    },
  });

  const rejected = (orderId: string, userId: string): OrderRejectedEvent => ({
    id: `${orderId}:verdict`,
    type: 'OrderRejected',
    version: 1,
    occurredAt: '2026-11-25T10:00:02.000Z',
    source: 'order-validation',
    correlationId: orderId,
    causationId: `${orderId}:placed`,
    payload: {
      orderId,
      userId,
      reasons: [{ code: 'total-mismatch', message: 'totalCents is not the sum of the lines' }],
      placedAt: '2026-11-25T10:00:00.000Z',
      rejectedAt: '2026-11-25T10:00:02.000Z',
    },
  });

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: sut.adminHeaders });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const healthy = async () => ((await get('/health')).status === 200 ? true : undefined);
  const waitHealthy = (description: string) => waitUntil(healthy, { description, timeoutMs: 60_000 });
  const shipmentOf = (orderId: string) =>
    waitUntil(
      async () => {
        const response = await get(`/shipments/${orderId}`);
        return response.status === 200 ? response.body : undefined;
      },
      { description: `shipment of ${orderId}`, timeoutMs: 30_000 },
    );
  const allShipments = async () => (await get('/shipments?limit=200')).body;

  /** Records on the shipments topic so far (idempotent producer, no transactions: the high watermarks add up to them). */
  const producedCount = async () => (await admin.fetchOffsets(shipments.name)).reduce((sum, p) => sum + Number(p.high), 0);
  const producedEvents = async (count: number): Promise<{ key: string; event: ShipmentCreatedEvent }[]> => {
    const records = await readRecords(client, shipments.name, uniqueName('shp_reader'), count);
    return records.map((r) => ({ key: r.key?.toString() ?? '', event: JSON.parse(r.value?.toString() ?? 'null') as ShipmentCreatedEvent }));
  };

  let sut: ServiceUnderTest<ShippingConfig>;

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: 'shipping',
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
    });
    ({ baseUrl } = sut);
    ({ client, admin, rawProducer, producer } = sut.kafka);
  });

  afterAll(() => sut?.stop());

  it('provisions its topics at start and reports both views healthy on an empty log', async () => {
    expect(await admin.listTopics()).toEqual(expect.arrayContaining(ownTopics));
    await waitHealthy('/health to answer 200');
    const { body } = await get('/health');
    expect(body).toMatchObject({
      status: 'ok',
      checks: {
        views: [
          { view: 'users', topic: users.name, status: 'caught-up', lag: 0 },
          { view: 'shipments', topic: validations.name, status: 'caught-up', lag: 0 },
        ],
      },
    });
  });

  it('ships a validated order to the verdict address, even though the user moved since, and produces ShipmentCreated', async () => {
    // The user moved (and changed name) after the order was validated to Berlin; the verdict comes after.
    await producer.send(users, [{ key: 'u-1', value: user('u-1', 'Ada') }]);
    await producer.send(users, [{ key: 'u-1', value: user('u-1', 'Ada Lovelace', munich, { updated_at: '2026-11-25T11:00:00.000Z' }) }]);
    await producer.send(validations, [{ key: 'o-1', value: validated('o-1', 'u-1', berlin, '2026-11-25T10:00:01.500Z') }]);

    expect(await shipmentOf('o-1')).toEqual({
      shipmentId: 'shp-o-1',
      orderId: 'o-1',
      userId: 'u-1',
      address: berlin,
      // Joined after the users view caught up with the topic: the latest name.
      recipient: { name: 'Ada Lovelace', email: 'u-1@example.com' },
      createdAt: '2026-11-25T10:00:01.500Z',
      verdictId: 'o-1:verdict',
    });
    const [created] = await producedEvents(1);
    expect(created).toEqual({
      key: 'o-1',
      event: {
        id: 'o-1:shipment',
        type: 'ShipmentCreated',
        version: 1,
        occurredAt: '2026-11-25T10:00:01.500Z',
        source: 'shipping',
        correlationId: 'o-1',
        causationId: 'o-1:verdict',
        payload: { shipmentId: 'shp-o-1', orderId: 'o-1', userId: 'u-1', address: berlin, createdAt: '2026-11-25T10:00:01.500Z' },
      },
    });
  });

  it('ships to a user the users view does not know with no recipient', async () => {
    await producer.send(validations, [{ key: 'o-ghost', value: validated('o-ghost', 'u-ghost', munich, '2026-11-25T10:05:00.000Z') }]);
    expect(await shipmentOf('o-ghost')).toMatchObject({ orderId: 'o-ghost', userId: 'u-ghost', address: munich, recipient: null });
  });

  it('creates nothing for a rejected order: 404', async () => {
    await producer.send(validations, [{ key: 'o-2', value: rejected('o-2', 'u-1') }]);
    await waitHealthy('the rejected verdict to be applied');
    const response = await get('/shipments/o-2');
    expect(response.status).toBe(404);
    expect(response.body['message']).toMatch(/no shipment for order "o-2"/);
    expect(await producedCount()).toBe(2);
  });

  it('creates one shipment and one ShipmentCreated for a verdict delivered again (same chunk and later)', async () => {
    const again = validated('o-1', 'u-1', berlin, '2026-11-25T10:00:01.500Z');
    await producer.send(validations, [
      { key: 'o-3', value: validated('o-3', 'u-1', munich, '2026-11-25T10:10:00.000Z') },
      { key: 'o-3', value: validated('o-3', 'u-1', munich, '2026-11-25T10:10:00.000Z') },
      { key: 'o-1', value: again },
    ]);
    await producer.send(validations, [{ key: 'o-3', value: validated('o-3', 'u-1', munich, '2026-11-25T10:10:00.000Z') }]);
    await shipmentOf('o-3');
    await waitHealthy('the repeated verdicts to be applied');

    const listing = await allShipments();
    expect(listing['total']).toBe(3);
    expect((listing['items'] as { orderId: string }[]).map((s) => s.orderId)).toEqual(['o-1', 'o-3', 'o-ghost']);
    expect(await producedCount()).toBe(3);
    const events = await producedEvents(3);
    expect(events.map((e) => e.event.id).sort()).toEqual(['o-1:shipment', 'o-3:shipment', 'o-ghost:shipment']);
  });

  it('sends malformed verdicts to the dead-letter topic and keeps the partition moving', async () => {
    // Same key → same partition, so the good record after the bad ones proves the partition moved on.
    const notAVerdict = JSON.stringify({ ...validated('o-4', 'u-1', berlin, '2026-11-25T10:20:00.000Z'), type: 'OrderShipped' });
    await rawProducer.send(validations.name, [
      { key: 'o-4', value: '{this is not json' },
      { key: 'o-4', value: notAVerdict },
    ]);
    await producer.send(validations, [{ key: 'o-4', value: validated('o-4', 'u-1', berlin, '2026-11-25T10:20:00.000Z') }]);
    expect(await shipmentOf('o-4')).toMatchObject({ orderId: 'o-4', address: berlin });

    const letters = await readRecords(client, `${validations.name}.dlq`, uniqueName('shp_dlq_reader'), 2);
    expect(letters.map((l) => l.value?.toString())).toEqual(['{this is not json', notAVerdict]);
    expect(letters[0]?.headers[DeadLetterHeaders.errorMessage]).toMatch(/is not JSON/);
    expect(letters[1]?.headers[DeadLetterHeaders.errorMessage]).toMatch(/does not match its schema/);
    for (const letter of letters) {
      expect(letter.key?.toString()).toBe('o-4');
      expect(letter.headers[DeadLetterHeaders.originalTopic]).toBe(validations.name);
    }
    await waitHealthy('the verdicts view to move past the dead letters');
    expect(await producedCount()).toBe(4);
  });

  it('pages the listing with a total and rejects bad paging or ids', async () => {
    const page = await get('/shipments?limit=2&offset=1');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect((page.body['items'] as { orderId: string }[]).map((s) => s.orderId)).toEqual(['o-3', 'o-4']);

    const bad = await get('/shipments?limit=0&offset=x');
    expect(bad.status).toBe(400);
    expect(bad.body['reasons']).toEqual(['limit must be at least 1', 'offset must be a whole number']);
    const invalid = await get(`/shipments/${encodeURIComponent('no such id!')}`);
    expect(invalid.status).toBe(400);
    expect(invalid.body['message']).toMatch(/is not an order id/);
  });

  it('serves Swagger UI at /docs and the committed docs/openapi/shipping.json at /docs/json, and answers as it documents', async () => {
    const page = await fetch(`${baseUrl}/docs`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    expect(await page.text()).toContain('<div id="swagger-ui">');
    const bundle = await fetch(`${baseUrl}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
    const served = await get('/docs/json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(committedApiDocument('shipping')));

    // Real answers, success and error alike, against the schemas the document gives for their status.
    const check = apiAnswerCheck(served.body as unknown as ApiDocument);
    const answers: [string, string, string][] = [
      ['GET', '/shipments', '/shipments?limit=2'],
      ['GET', '/shipments', '/shipments?limit=0&offset=x'],
      ['GET', '/shipments/{orderId}', '/shipments/o-1'],
      ['GET', '/shipments/{orderId}', `/shipments/${encodeURIComponent('no such id!')}`],
      ['GET', '/shipments/{orderId}', '/shipments/o-never'],
      ['GET', '/health', '/health'],
      ['GET', '/health/live', '/health/live'],
      ['GET', '/health/ready', '/health/ready'],
      ['POST', '/admin/views/{name}/rebuild', '/admin/views/no-such-view/rebuild'],
    ];
    const statuses: number[] = [];
    for (const [method, route, url] of answers) {
      const response = await fetch(`${baseUrl}${url}`, { method, headers: sut.adminHeaders });
      statuses.push(response.status);
      expect(check(method, route, response.status, await response.json())).toEqual([]);
    }
    expect(statuses).toEqual([200, 400, 200, 400, 404, 200, 200, 200, 404]);
    const metrics = await fetch(`${baseUrl}/metrics`);
    expect(Object.keys((served.body['paths'] as ApiDocument['paths'])['/metrics']?.['get']?.responses?.['200']?.content ?? {})).toEqual([
      metrics.headers.get('content-type'),
    ]);
    await metrics.text();
  });

  it('rebuilds both views from the log into identical shipments and re-produces identical events', async () => {
    const before = await allShipments();
    expect(before['total']).toBe(4);
    const eventsBefore = await producedEvents(4);

    const response = await fetch(`${baseUrl}/admin/rebuild`, { method: 'POST', headers: sut.adminHeaders });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'rebuilding', views: ['users', 'shipments'] });

    await waitHealthy('the rebuilt views to catch up');
    expect(await allShipments()).toEqual(before);

    // The replay produced every ShipmentCreated again, byte for byte (same ids: consumers dedupe them).
    await waitUntil(async () => (await producedCount()) === 8 || undefined, { description: 'the replayed events', timeoutMs: 30_000 });
    const all = await producedEvents(8);
    const first = new Map(eventsBefore.map((e) => [e.event.id, e]));
    expect(all.map((e) => e.event.id).sort()).toEqual([...first.keys(), ...first.keys()].sort());
    for (const replayed of all) expect(replayed).toEqual(first.get(replayed.event.id));
  });

  it('continues the W3C trace of the verdict on its ShipmentCreated record', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const incoming = `00-${traceId}-00f067aa0ba902b7-01`;
    await producer.send(validations, [
      { key: 'o-traced', value: validated('o-traced', 'u-1', berlin, '2026-11-25T12:00:00.000Z'), headers: { traceparent: incoming } },
    ]);
    await shipmentOf('o-traced');
    const records = await readRecords(client, shipments.name, uniqueName('shp_trace_reader'), await producedCount());
    const traced = records.find((r) => r.key?.toString() === 'o-traced');
    const traceparent = traced?.headers['traceparent'];
    // Same trace, a new span of its own: 00-<trace id>-<span id>-<flags>.
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    expect(traceparent).not.toBe(incoming);
  });

  describe('replaying dead letters after a fix', () => {
    const atlantis: Address = { line1: '1 Sunken Way', city: 'Atlantis', postalCode: '00000', country: 'GR' };
    const dlq = `${validations.name}.dlq`;
    const post = async (path: string) => {
      const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: sut.adminHeaders });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const sql = (statement: string) => sut.app.get(PrismaService).$executeRawUnsafe(statement);
    type Letters = { total: number; pending: number; items: { key: string | null; pending: boolean; error: { message: string } }[] };
    const letters = async () => (await get('/admin/views/shipments/dead-letters?limit=200')).body as unknown as Letters;

    it("applies a letter the view rejected once the fix is in, passes over other consumers' letters and reports those that still fail", async () => {
      // The "bug": a constraint the shipments table should never have had (a migration fixes it below).
      await sql(`ALTER TABLE shipments ADD CONSTRAINT test_no_atlantis CHECK (city <> 'Atlantis')`);
      await producer.send(validations, [{ key: 'o-atl', value: validated('o-atl', 'u-1', atlantis, '2026-11-25T13:00:00.000Z') }]);
      // Another consumer of order-validations gave up on a (valid) verdict: its letter is not this view's to apply.
      const foreign = validated('o-foreign', 'u-1', berlin, '2026-11-25T13:05:00.000Z');
      await rawProducer.send(dlq, [
        toDeadLetterRecord({
          record: {
            topic: validations.name,
            partition: 0,
            offset: 0n,
            key: Buffer.from('o-foreign'),
            value: Buffer.from(JSON.stringify(foreign)),
            headers: {},
            timestamp: Date.now(),
          },
          error: new Error('their own problem'),
          consumer: `${prefix}fraud-detection.orders`,
          attempts: 1,
        }),
      ]);
      const before = await waitUntil(
        async () => {
          const listed = await letters();
          return listed.items.some((l) => l.key === 'o-atl') ? listed : undefined;
        },
        { description: 'the Atlantis verdict in the dead letters', timeoutMs: 30_000 },
      );
      // o-4's two malformed records, twice (the rebuild above dead-lettered them again; it superseded the first
      // two), and o-atl. The foreign letter is not listed.
      expect(before.total).toBe(5);
      expect(before.pending).toBe(3);
      expect(before.items.map((l) => l.key).sort()).toEqual(['o-4', 'o-4', 'o-4', 'o-4', 'o-atl']);
      expect(before.items.find((l) => l.key === 'o-atl')?.error.message).toMatch(/test_no_atlantis|check constraint|23514/);
      expect((await get('/shipments/o-atl')).status).toBe(404);
      const producedBefore = await producedCount();

      await sql('ALTER TABLE shipments DROP CONSTRAINT test_no_atlantis'); // the fix is deployed
      // One replay at a time per view: of two at once, one answers 409.
      const [first, second] = await Promise.all([
        post('/admin/views/shipments/dead-letters/replay'),
        post('/admin/views/shipments/dead-letters/replay'),
      ]);
      const replayed = first.status === 200 ? first : second;
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      expect((first.status === 409 ? first : second).body['message']).toBe('the dead letters of view shipments are being replayed already');
      expect(replayed.body).toMatchObject({
        view: 'shipments',
        topic: dlq,
        applied: 1,
        stillFailing: 2,
        otherConsumers: 1,
        alreadyReplayed: 0,
        complete: true,
      });
      const failures = replayed.body['failures'] as { key: string; error: string }[];
      expect(failures.map((f) => f.key)).toEqual(['o-4', 'o-4']);
      expect(failures.map((f) => f.error)).toEqual([
        expect.stringMatching(/is not JSON/),
        expect.stringMatching(/does not match its schema/),
      ]);

      // Applied through the processor's own path: the shipment, and its ShipmentCreated (shipping is that topic's writer).
      expect(await shipmentOf('o-atl')).toMatchObject({ orderId: 'o-atl', address: atlantis, recipient: { name: 'Ada Lovelace' } });
      expect(await producedCount()).toBe(producedBefore + 1);
      expect((await get('/shipments/o-foreign')).status).toBe(404);

      // The letters stay on the DLQ (still listed), none is pending; nothing was dead-lettered again.
      const after = await letters();
      expect([after.total, after.pending]).toEqual([5, 0]);
      expect((await admin.fetchOffsets(dlq)).reduce((sum, p) => sum + Number(p.high), 0)).toBe(6);
    });

    it('applies nothing the second time (the replay position is stored with each letter)', async () => {
      const shipmentsBefore = await allShipments();
      const producedBefore = await producedCount();
      const again = await post('/admin/views/shipments/dead-letters/replay');
      expect(again).toEqual({
        status: 200,
        body: {
          view: 'shipments',
          topic: dlq,
          applied: 0,
          stillFailing: 0,
          otherConsumers: 0,
          alreadyReplayed: 0,
          complete: true,
          failures: [],
        },
      });
      expect(await allShipments()).toEqual(shipmentsBefore);
      expect(await producedCount()).toBe(producedBefore);
    });

    it('refuses to replay the users changelog (an old row could overwrite a newer one) and answers as documented', async () => {
      const refused = await post('/admin/views/users/dead-letters/replay');
      expect(refused.status).toBe(422);
      expect(refused.body['message']).toMatch(/keeps the latest record per key .* rebuild the view instead/);
      expect((await get('/admin/views/users/dead-letters')).body).toEqual({ total: 0, pending: 0, limit: 20, offset: 0, items: [] });

      const check = apiAnswerCheck(JSON.parse(committedApiDocument('shipping')) as ApiDocument);
      const answers: [string, string, string][] = [
        ['GET', '/admin/views/{name}/dead-letters', '/admin/views/shipments/dead-letters?limit=2&offset=1'],
        ['GET', '/admin/views/{name}/dead-letters', '/admin/views/shipments/dead-letters?limit=0'],
        ['GET', '/admin/views/{name}/dead-letters', '/admin/views/nope/dead-letters'],
        ['POST', '/admin/views/{name}/dead-letters/replay', '/admin/views/shipments/dead-letters/replay'],
        ['POST', '/admin/views/{name}/dead-letters/replay', '/admin/views/users/dead-letters/replay'],
        ['POST', '/admin/views/{name}/dead-letters/replay', '/admin/views/nope/dead-letters/replay'],
      ];
      const statuses: number[] = [];
      for (const [method, route, url] of answers) {
        const response = await fetch(`${baseUrl}${url}`, { method, headers: sut.adminHeaders });
        statuses.push(response.status);
        expect(check(method, route, response.status, await response.json())).toEqual([]);
      }
      expect(statuses).toEqual([200, 400, 404, 200, 422, 404]);
    });
  });
});
