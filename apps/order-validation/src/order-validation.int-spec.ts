import {
  Topics,
  deadLetterTopicName,
  orderVerdictEventSchema,
  withTopicPrefix,
  type OrderPlaced,
  type OrderPlacedEvent,
  type OrderPlacedV1Event,
  type OrderVerdictEvent,
  type UserRecord,
} from '@shop/contracts';
import {
  DeadLetterHeaders,
  readRecords,
  type Admin,
  type EventProducer,
  type KafkaClient,
  type IncomingRecord,
  type MessageConsumer,
  type Producer,
} from '@shop/kafka';
import { committedApiDocument } from '@shop/nest-platform';
import { apiAnswerCheck, startServiceUnderTest, uniqueName, waitUntil, type ApiDocument, type ServiceUnderTest } from '@shop/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig, type OrderValidationConfig } from './config/config';
import { PrismaService } from './database/prisma.service';
import { orderPlacedEvent } from './orders/domain/order-events';
import { parsePlaceOrderRequest, requestHash, resolveOrder } from './orders/domain/order-request';

/**
 * The whole service against the harness's real broker and a fresh PostgreSQL database: users arrive on
 * `users` as CDC would write them, orders through POST /orders; verdicts are read from `order-validations`
 * and from GET /orders/:id.
 */
describe('order-validation over HTTP and Kafka', () => {
  const prefix = `${uniqueName('ov')}_`;
  const users = withTopicPrefix(Topics.users, prefix);
  const orders = withTopicPrefix(Topics.orders, prefix);
  const verdicts = withTopicPrefix(Topics.orderValidations, prefix);
  let sql: PrismaService;
  let baseUrl: string;
  let client: KafkaClient;
  let admin: Admin;
  let rawProducer: Producer;
  let producer: EventProducer;
  const watchers: MessageConsumer[] = [];
  /** Everything on `orders` and `order-validations`, as the test's own consumers see it. */
  const onOrders: IncomingRecord[] = [];
  const onVerdicts: IncomingRecord[] = [];

  const user = (id: string, overrides: Partial<UserRecord> = {}): UserRecord => ({
    id,
    email: `${id}@example.com`,
    name: `User ${id}`,
    status: 'active',
    country: 'DE',
    region: 'europe',
    address_line1: '1 Hauptstraße',
    city: 'Berlin',
    postal_code: '10115',
    created_at: '2026-11-25T10:00:00.000000Z',
    updated_at: '2026-11-25T10:00:00.000000Z',
    ...overrides,
  });

  const order = (orderId: string, userId: string, overrides: Partial<OrderPlaced> = {}) => ({
    orderId,
    userId,
    lines: [
      { productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1500 },
      { productId: 'p-2', category: 'games', quantity: 1, unitPriceCents: 4999 },
    ],
    currency: 'EUR',
    totalCents: 7999,
    placedAt: '2026-11-25T12:00:00.000Z',
    ...overrides,
  });

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const healthy = async () => ((await get('/health')).status === 200 ? true : undefined);
  const decoded = (records: readonly IncomingRecord[]) =>
    records.map((r) => orderVerdictEventSchema.parse(JSON.parse(r.value?.toString() ?? 'null')));
  const verdictsOf = (orderId: string): OrderVerdictEvent[] => decoded(onVerdicts).filter((v) => v.payload.orderId === orderId);
  const verdictOf = (orderId: string) =>
    waitUntil(() => verdictsOf(orderId)[0], { description: `the verdict on ${orderId} on ${verdicts.name}`, timeoutMs: 30_000 });
  const highWatermarks = async (topic: string) => (await admin.fetchOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  const verdictRows = () =>
    sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT order_id, user_id, status, reasons, shipping_address, total_cents::text AS total_cents, currency,
              placed_at, verdict_at, placed_event_id FROM orders ORDER BY order_id`,
    );

  async function watch(topic: string, into: IncomingRecord[]): Promise<void> {
    const consumer = client.messageConsumer();
    watchers.push(consumer);
    await consumer.start({
      groupId: uniqueName('ov_watch'),
      topics: [topic],
      fromBeginning: true,
      eachRecord: async (record) => {
        into.push(record);
      },
    });
  }

  let sut: ServiceUnderTest<OrderValidationConfig>;

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: SERVICE_NAME,
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
      // A quick relay, so the outbox test below does not wait long.
      env: { OUTBOX_RELAY_INTERVAL_MS: '200', OUTBOX_GRACE_MS: '500' },
    });
    ({ baseUrl } = sut);
    ({ client, admin, rawProducer, producer } = sut.kafka);
    sql = new PrismaService(sut.database.url, 'order-validation-test');
    await Promise.all([watch(orders.name, onOrders), watch(verdicts.name, onVerdicts)]);
  });

  afterAll(async () => {
    await Promise.all(watchers.map((w) => w.stop()));
    await sql?.$disconnect();
    await sut?.stop();
  });

  it('provisions its topics and reports healthy', async () => {
    expect(await admin.listTopics()).toEqual(
      expect.arrayContaining([users.name, orders.name, verdicts.name, `${orders.name}.dlq`, `${users.name}.dlq`]),
    );
    await waitUntil(healthy, { description: '/health to answer 200', timeoutMs: 30_000 });
  });

  it('accepts a valid order (202), validates it, and publishes OrderPlaced and OrderValidated', async () => {
    // The user is written just before the order: the processor's catch-up join must see it.
    await producer.send(users, [{ key: 'u-ok', value: user('u-ok') }]);
    const accepted = await post(order('o-ok', 'u-ok'));
    expect(accepted).toEqual({ status: 202, body: { orderId: 'o-ok', status: 'placed', links: { self: '/orders/o-ok' } } });

    const seen = await get('/orders/o-ok?waitMs=10000');
    expect(seen).toEqual({
      status: 200,
      body: {
        orderId: 'o-ok',
        userId: 'u-ok',
        status: 'validated',
        reasons: [],
        placedAt: '2026-11-25T12:00:00.000Z',
        verdictAt: '2026-11-25T12:00:00.000Z',
        shippingAddress: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
        links: { self: '/orders/o-ok' },
      },
    });

    const placed = await waitUntil(() => onOrders.find((r) => r.key?.toString() === 'o-ok'), { description: 'OrderPlaced o-ok' });
    expect(JSON.parse(placed.value?.toString() ?? '')).toMatchObject({
      id: 'o-ok:placed',
      type: 'OrderPlaced',
      source: 'order-validation',
      correlationId: 'o-ok',
      causationId: null,
      payload: { ...order('o-ok', 'u-ok'), shippingAddress: null },
    });
    const verdict = await verdictOf('o-ok');
    expect(verdict).toEqual({
      id: 'o-ok:verdict',
      type: 'OrderValidated',
      version: 2,
      occurredAt: '2026-11-25T12:00:00.000Z',
      source: 'order-validation',
      correlationId: 'o-ok',
      causationId: 'o-ok:placed',
      payload: {
        orderId: 'o-ok',
        userId: 'u-ok',
        totalCents: 7999,
        currency: 'EUR',
        lines: order('o-ok', 'u-ok').lines,
        shippingAddress: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
        placedAt: '2026-11-25T12:00:00.000Z',
        validatedAt: '2026-11-25T12:00:00.000Z',
      },
    });
  });

  it('takes a channel: OrderPlaced v2 and its OrderValidated v2 carry it; another word is a 400 with the reason', async () => {
    await producer.send(users, [{ key: 'u-channel', value: user('u-channel') }]);
    expect((await post({ ...order('o-mobile', 'u-channel'), channel: 'mobile' })).status).toBe(202);
    const placed = await waitUntil(() => onOrders.find((r) => r.key?.toString() === 'o-mobile'), { description: 'OrderPlaced o-mobile' });
    expect(JSON.parse(placed.value?.toString() ?? '')).toMatchObject({ type: 'OrderPlaced', version: 2, payload: { channel: 'mobile' } });
    expect(await verdictOf('o-mobile')).toMatchObject({ type: 'OrderValidated', version: 2, payload: { channel: 'mobile' } });

    const bad = await post({ ...order('o-fax', 'u-channel'), channel: 'fax' });
    expect(bad).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'invalid order',
        reasons: ['channel: Invalid option: expected one of "web"|"mobile"|"api"'],
      },
    });
  });

  it('validates an OrderPlaced v1 record (raw, as order-validation wrote it before v2) like any other', async () => {
    await producer.send(users, [{ key: 'u-v1', value: user('u-v1') }]);
    const v1: OrderPlacedV1Event = {
      id: 'o-v1:placed',
      type: 'OrderPlaced',
      version: 1,
      occurredAt: '2026-11-25T12:00:01.000Z',
      source: 'order-validation',
      correlationId: 'o-v1',
      causationId: null,
      payload: { ...order('o-v1', 'u-v1'), shippingAddress: null },
    };
    await rawProducer.send(orders.name, [{ key: 'o-v1', value: JSON.stringify(v1) }]);
    const verdict = await verdictOf('o-v1');
    expect(verdict).toMatchObject({ id: 'o-v1:verdict', type: 'OrderValidated', version: 2, causationId: 'o-v1:placed' });
    expect(Object.keys(verdict.payload)).not.toContain('channel');
    expect((await get('/orders/o-v1?waitMs=10000')).body).toMatchObject({ orderId: 'o-v1', status: 'validated' });
  });

  it('carries the W3C trace context of POST /orders onto OrderPlaced and the verdict, and counts it on GET /metrics', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    await producer.send(users, [{ key: 'u-trace', value: user('u-trace') }]);
    const accepted = await post(order('o-trace', 'u-trace'), { traceparent: `00-${traceId}-${callerSpan}-01`, tracestate: 'shop=test' });
    expect(accepted.status).toBe(202);

    const traceparentOf = (record: IncomingRecord) => record.headers['traceparent'] ?? '';
    const placed = await waitUntil(() => onOrders.find((r) => r.key?.toString() === 'o-trace'), { description: 'OrderPlaced o-trace' });
    expect(traceparentOf(placed)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(traceparentOf(placed)).not.toContain(callerSpan); // the service's own span, child of the caller's
    expect(placed.headers['tracestate']).toBe('shop=test');

    await verdictOf('o-trace');
    // Read back from the topic as any consumer would: the verdict continues the same trace.
    const all = await readRecords(client, verdicts.name, uniqueName('ov_trace_reader'), await highWatermarks(verdicts.name));
    const verdictRecord = all.find((r) => r.key?.toString() === 'o-trace');
    expect(verdictRecord && traceparentOf(verdictRecord)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(verdictRecord && traceparentOf(verdictRecord)).not.toBe(traceparentOf(placed));
    expect(verdictRecord?.headers['tracestate']).toBe('shop=test');

    // An order without a traceparent starts a trace of its own.
    await post(order('o-untraced', 'u-trace'));
    await verdictOf('o-untraced');
    const untraced = await waitUntil(() => onOrders.find((r) => r.key?.toString() === 'o-untraced'), {
      description: 'OrderPlaced o-untraced',
    });
    expect(traceparentOf(untraced)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceparentOf(untraced)).not.toContain(traceId);

    await waitUntil(healthy, { description: 'the views to catch up', timeoutMs: 30_000 });
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await response.text();
    const processed = text.match(
      new RegExp(`^events_processed_total\\{view="orders",topic="${orders.name}",service="order-validation"\\} (\\d+)$`, 'm'),
    );
    expect(Number(processed?.[1])).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(
      new RegExp(`^consumer_lag\\{view="orders",topic="${orders.name}",partition="0",service="order-validation"\\} 0$`, 'm'),
    );
    expect(text).toMatch(/^view_freshness_seconds\{view="orders",service="order-validation"\} \d/m);
    expect(text).toMatch(/^dead_letters_total\{view="users",/m);
    expect(text).toMatch(/^view_errors_total\{view="orders",service="order-validation"\} \d+$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{service="order-validation",method="POST",route="\/orders",status="202"\} \d+$/m,
    );
  });

  it("ships to the order's own address, and sees users created right before their orders", async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `u-burst-${i}`);
    await producer.send(
      users,
      ids.map((id) => ({ key: id, value: user(id, { address_line1: null }) })),
    );
    const address = { line1: '5 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };
    const responses = await Promise.all(ids.map((id, i) => post(order(`o-burst-${i}`, id, { shippingAddress: address }))));
    expect(responses.map((r) => r.status)).toEqual(ids.map(() => 202));
    for (let i = 0; i < ids.length; i++) {
      const seen = await get(`/orders/o-burst-${i}?waitMs=10000`);
      expect(seen.body).toMatchObject({ status: 'validated', shippingAddress: address });
    }
  });

  it('rejects with every rule of the spec, one code each, and publishes OrderRejected with the reasons', async () => {
    await producer.send(users, [
      { key: 'u-suspended', value: user('u-suspended', { status: 'suspended' }) },
      { key: 'u-homeless', value: user('u-homeless', { address_line1: null, city: null, postal_code: null }) },
      { key: 'u-r', value: user('u-r') },
    ]);
    const line = { productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: 1000 };
    const cases: [string, ReturnType<typeof order>, string[]][] = [
      [
        'o-unknown',
        order('o-unknown', 'u-nobody', { shippingAddress: { line1: 'a', city: 'b', postalCode: 'c', country: 'DE' } }),
        ['unknown-user'],
      ],
      ['o-suspended', order('o-suspended', 'u-suspended'), ['user-suspended']],
      ['o-no-address', order('o-no-address', 'u-homeless'), ['no-shipping-address']],
      ['o-quantity', order('o-quantity', 'u-r', { lines: [{ ...line, quantity: 101 }], totalCents: 101_000 }), ['invalid-quantity']],
      ['o-price', order('o-price', 'u-r', { lines: [{ ...line, unitPriceCents: 0 }], totalCents: 0 }), ['invalid-price']],
      ['o-total', order('o-total', 'u-r', { totalCents: 8000 }), ['total-mismatch']],
      ['o-currency', order('o-currency', 'u-r', { currency: 'JPY' }), ['unsupported-currency']],
      [
        'o-everything',
        order('o-everything', 'u-nobody', {
          lines: [{ ...line, quantity: 200, unitPriceCents: 2_000_000 }],
          totalCents: 1,
          currency: 'CHF',
        }),
        ['unknown-user', 'no-shipping-address', 'invalid-quantity', 'invalid-price', 'total-mismatch', 'unsupported-currency'],
      ],
    ];
    for (const [, body] of cases) expect((await post(body)).status).toBe(202);
    for (const [orderId, , codes] of cases) {
      const seen = await get(`/orders/${orderId}?waitMs=10000`);
      expect(seen.body['status']).toBe('rejected');
      expect((seen.body['reasons'] as { code: string; message: string }[]).map((r) => r.code)).toEqual(codes);
      const verdict = await verdictOf(orderId);
      expect(verdict.type).toBe('OrderRejected');
      expect(verdict).toMatchObject({
        id: `${orderId}:verdict`,
        causationId: `${orderId}:placed`,
        payload: { reasons: seen.body['reasons'] },
      });
      expect(verdict.type === 'OrderRejected' && verdict.payload.rejectedAt).toBe('2026-11-25T12:00:00.000Z');
    }
  });

  it('answers 400 with every reason for a bad body and for malformed JSON, and writes nothing', async () => {
    const before = { orders: await highWatermarks(orders.name), ledger: await sql.placedOrder.count() };
    const bad = await post({
      orderId: 'o-bad',
      userId: '',
      lines: [{ productId: 'p-1', category: 'x', quantity: 0, unitPriceCents: -1 }],
      currency: 'euro',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'invalid order',
      reasons: [
        'userId: Too small: expected string to have >=1 characters',
        'userId: only letters, digits, "_" and "-"',
        expect.stringMatching(/^lines\.0\.quantity: /),
        expect.stringMatching(/^lines\.0\.unitPriceCents: /),
        expect.stringMatching(/^currency: /),
        expect.stringMatching(/^totalCents: /),
      ],
    });
    const malformed = await post('{"userId": "u-ok", "lines": [');
    expect(malformed).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'the body is not valid JSON',
        reasons: [expect.stringMatching(/^\(body\): not valid JSON/)],
      },
    });
    const notAnObject = await post('[1, 2]');
    expect(notAnObject).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'invalid order', reasons: [expect.stringMatching(/^\(body\): /)] },
    });
    const badKey = await post(order('o-bad-key', 'u-ok'), { 'idempotency-key': 'x'.repeat(201) });
    expect(badKey.status).toBe(400);
    // An order "placed" in the year 3000 would be validated, shipped and counted in a year-3000 window.
    const future = await post({ ...order('o-year-3000', 'u-ok'), placedAt: '3000-01-01T00:00:00Z' });
    expect(future).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'invalid order',
        reasons: [expect.stringMatching(/^placedAt: is \d+ s ahead of the service's clock \(at most 300 s allowed\)$/)],
      },
    });

    // A POST produces before it answers: had any of these produced, the high watermarks would have moved.
    expect(await highWatermarks(orders.name)).toBe(before.orders);
    expect(await sql.placedOrder.count()).toBe(before.ledger);
    expect((await get('/orders/o-bad')).status).toBe(404);
    expect((await get('/orders/o-bad-key')).status).toBe(404);
    expect((await get('/orders/o-year-3000')).status).toBe(404);
  });

  it('honours Idempotency-Key (202 with the same order id, 422 for another body) and answers 409 for a placed order id', async () => {
    const body = {
      userId: 'u-ok',
      lines: [{ productId: 'p-9', category: 'toys', quantity: 3, unitPriceCents: 250 }],
      currency: 'GBP',
      totalCents: 750,
    };
    const first = await post(body, { 'idempotency-key': 'key-1' });
    expect(first.status).toBe(202);
    const orderId = first.body['orderId'] as string;
    expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await post(body, { 'idempotency-key': 'key-1' });
    expect(again).toEqual(first);

    const other = await post({ ...body, totalCents: 751 }, { 'idempotency-key': 'key-1' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      orderId,
      reasons: [expect.stringContaining('key-1')],
    });

    const duplicate = await post(order('o-ok', 'u-ok'));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'order "o-ok" has already been placed',
      reasons: ['order "o-ok" has already been placed'],
      orderId: 'o-ok',
    });
    expect((await post(order('o-ok', 'u-ok'), { 'idempotency-key': 'key-2' })).status).toBe(409);

    // The retry produced the same OrderPlaced again (same id, same bytes); the processor judged it once.
    const placed = await waitUntil(
      () => {
        const mine = onOrders.filter((r) => r.key?.toString() === orderId);
        return mine.length === 2 ? mine : undefined;
      },
      { description: `both OrderPlaced of ${orderId}` },
    );
    expect(placed[0]?.value?.toString()).toBe(placed[1]?.value?.toString());
    expect(JSON.parse(placed[0]?.value?.toString() ?? '')).toMatchObject({
      id: `${orderId}:placed`,
      payload: { placedAt: expect.any(String) },
    });
    expect((await get(`/orders/${orderId}?waitMs=10000`)).body['status']).toBe('validated');
    await waitUntil(healthy, { description: 'every view caught up' });
    expect(verdictsOf(orderId)).toHaveLength(1);
  });

  it('skips a redelivered OrderPlaced (no second verdict) and dead-letters malformed records', async () => {
    const original = onOrders.find((r) => r.key?.toString() === 'o-ok');
    const event = JSON.parse(original?.value?.toString() ?? '') as OrderPlacedEvent;
    await producer.send(orders, [
      { key: 'o-ok', value: event },
      { key: 'o-ok', value: event },
    ]);
    await rawProducer.send(orders.name, [
      { key: 'o-junk', value: '{not json' },
      { key: 'o-junk', value: JSON.stringify({ ...event, payload: { ...event.payload, orderId: 'o-junk', lines: [] } }) },
    ]);
    const letters = await readRecords(client, deadLetterTopicName(orders.name), uniqueName('ov_dlq'), 2);
    expect(letters.map((l) => l.value?.toString().slice(0, 9))).toEqual(['{not json', '{"id":"o-']);
    expect(letters[0]?.headers[DeadLetterHeaders.errorMessage]).toMatch(/is not JSON/);
    expect(letters[1]?.headers[DeadLetterHeaders.errorMessage]).toMatch(/does not match its schema: payload\.lines/);

    await waitUntil(healthy, { description: 'the orders processor to pass the redeliveries' });
    expect(verdictsOf('o-ok')).toHaveLength(1);
    expect((await get('/orders/o-junk')).status).toBe(404);
  });

  it('holds GET ?waitMs= until the verdict; the outbox relay publishes an order recorded before a crash, and a retry with its key is harmless', async () => {
    // A crash between the outbox write and the produce: the row is there (published_at null), the event is not.
    const body = order('o-crash', 'u-ok');
    const parsed = parsePlaceOrderRequest(body);
    if (!parsed.ok) throw new Error('the body should parse');
    const event = orderPlacedEvent(resolveOrder(parsed.request, { newOrderId: () => 'unused', now: new Date() }), new Date());
    await sql.$executeRawUnsafe(
      `INSERT INTO placed_orders (order_id, idempotency_key, request_hash, event) VALUES ($1, $2, $3, $4::jsonb)`,
      'o-crash',
      'key-crash',
      requestHash(parsed.request),
      JSON.stringify(event),
    );
    const started = Date.now();
    const stuck = await get('/orders/o-crash?waitMs=300');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(stuck).toEqual({
      status: 200,
      body: expect.objectContaining({ orderId: 'o-crash', status: 'placed', verdictAt: null, reasons: [] }),
    });

    // No request re-sends it: the relay does, once the grace period is over.
    expect((await get('/orders/o-crash?waitMs=20000')).body).toMatchObject({ orderId: 'o-crash', status: 'validated' });
    const placedOnce = await waitUntil(() => onOrders.filter((r) => r.key?.toString() === 'o-crash'), {
      description: 'the relayed OrderPlaced',
    });
    expect(placedOnce.map((r) => JSON.parse(r.value?.toString() ?? ''))).toEqual([event]);
    const [row] = await sql.$queryRawUnsafe<{ published: boolean }[]>(
      `SELECT published_at IS NOT NULL AS published FROM placed_orders WHERE order_id = 'o-crash'`,
    );
    expect(row?.published).toBe(true);

    // The client retries anyway: 202 with the same order, the same event once more, still one verdict.
    const retried = await post(body, { 'idempotency-key': 'key-crash' });
    expect(retried).toEqual({ status: 202, body: { orderId: 'o-crash', status: 'placed', links: { self: '/orders/o-crash' } } });
    await waitUntil(() => (onOrders.filter((r) => r.key?.toString() === 'o-crash').length === 2 ? true : undefined), {
      description: 'the re-produced OrderPlaced',
    });
    expect(onOrders.filter((r) => r.key?.toString() === 'o-crash').map((r) => JSON.parse(r.value?.toString() ?? ''))).toEqual([
      event,
      event,
    ]);
    await waitUntil(healthy, { description: 'the orders view to take the duplicate', timeoutMs: 30_000 });
    expect((await verdictRows()).filter((r) => r['order_id'] === 'o-crash')).toHaveLength(1);
    expect(onVerdicts.filter((r) => r.key?.toString() === 'o-crash')).toHaveLength(1);
  });

  it('records and produces concurrent orders together: 300 at once, each accepted, once on the topic and out of the outbox', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `o-many-${i}`);
    const answers = await Promise.all(ids.map((id) => post(order(id, 'u-ok'))));
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    expect(answers.map((a) => a.body['orderId'])).toEqual(ids);
    const onTopic = await waitUntil(
      () => {
        const seen = onOrders.filter((r) => r.key?.toString().startsWith('o-many-'));
        return seen.length >= ids.length ? seen : undefined;
      },
      { description: 'every order of the burst on the orders topic' },
    );
    expect(onTopic.map((r) => r.key?.toString()).sort()).toEqual([...ids].sort());
    // The rows leave the outbox once the broker acknowledged them (marked just after the requests were answered).
    const unpublished = async () => {
      const [left] = await sql.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM placed_orders WHERE order_id LIKE 'o-many-%' AND published_at IS NULL`,
      );
      return Number(left?.n);
    };
    await waitUntil(async () => ((await unpublished()) === 0 ? true : undefined), {
      description: 'the burst out of the outbox',
      timeoutMs: 10_000,
    });
  });

  it('answers 404 for an unknown order (at once, even with waitMs) and 400 for a bad id or waitMs', async () => {
    expect((await get('/orders/o-never')).status).toBe(404);
    expect((await get('/orders/o-never?waitMs=2000')).status).toBe(404);
    expect((await get('/orders/bad%20id')).status).toBe(400);
    expect((await get('/orders/o-ok?waitMs=30001')).status).toBe(400);
    expect((await get('/orders/o-ok?waitMs=abc')).status).toBe(400);
  });

  it('answers every documented status of POST /orders and GET /orders/:id with the body docs/openapi/order-validation.json gives', async () => {
    const check = apiAnswerCheck(JSON.parse(committedApiDocument('order-validation')) as ApiDocument);
    const again = {
      userId: 'u-ok',
      lines: [{ productId: 'p-9', category: 'toys', quantity: 3, unitPriceCents: 250 }],
      currency: 'GBP',
      totalCents: 750,
    };
    const raw = (body: string, contentType = 'application/json') =>
      fetch(`${baseUrl}/orders`, { method: 'POST', headers: { 'content-type': contentType }, body }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as unknown,
      }));
    // Places nothing new: the key-1 retry and the taken order id were answered before (see above).
    const placing = [
      await post(again, { 'idempotency-key': 'key-1' }),
      await post({ userId: '', lines: [] }),
      await raw('{"userId": "u-ok", "lines": ['),
      await post(order('o-ok', 'u-ok')),
      await post({ ...again, totalCents: 751 }, { 'idempotency-key': 'key-1' }),
      await raw(JSON.stringify({ ...order('o-big', 'u-ok'), padding: 'x'.repeat(200_000) })),
      await raw('<order/>', 'application/xml'),
      await raw(JSON.stringify(order('o-text', 'u-ok')), 'text/plain'),
    ];
    expect(placing.map((a) => a.status)).toEqual([202, 400, 400, 409, 422, 413, 415, 415]);
    for (const answer of placing) expect(check('POST', '/orders', answer.status, answer.body)).toEqual([]);
    expect((await get('/orders/o-text')).status).toBe(404);
    const reading = [await get('/orders/o-ok'), await get('/orders/bad%20id?waitMs=x'), await get('/orders/o-never')];
    expect(reading.map((a) => a.status)).toEqual([200, 400, 404]);
    for (const answer of reading) expect(check('GET', '/orders/{id}', answer.status, answer.body)).toEqual([]);
  });

  it('rebuilds from the log into identical verdict rows and re-produces the same events', async () => {
    await waitUntil(healthy, { description: 'every view caught up before the rebuild' });
    const before = await verdictRows();
    expect(before.length).toBe(321); // 17 + o-mobile and o-v1 + o-trace and o-untraced + 300 of the burst
    const verdictCount = await waitUntil(
      async () => (onVerdicts.length === (await highWatermarks(verdicts.name)) ? onVerdicts.length : undefined),
      {
        description: 'the test consumer to have every verdict',
      },
    );
    expect(verdictCount).toBe(before.length);

    const response = await fetch(`${baseUrl}/admin/rebuild`, { method: 'POST', headers: sut.adminHeaders });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'rebuilding', views: ['users', 'orders'] });

    await waitUntil(async () => (await healthy()) && (await verdictRows()).length === before.length, {
      description: 'the rebuilt views to catch up',
      timeoutMs: 60_000,
    });
    expect(await verdictRows()).toEqual(before);

    // Every verdict was produced once more, with the same id and the same bytes.
    await waitUntil(() => onVerdicts.length === 2 * verdictCount || undefined, { description: 'the replayed verdicts', timeoutMs: 30_000 });
    const byId = new Map<string, Set<string>>();
    for (const record of onVerdicts) {
      const value = record.value?.toString() ?? '';
      const id = (JSON.parse(value) as { id: string }).id;
      byId.set(id, (byId.get(id) ?? new Set()).add(value));
    }
    expect(byId.size).toBe(verdictCount);
    for (const [id, values] of byId) expect([id, values.size]).toEqual([id, 1]);
  });
});
