import { Client } from 'pg';
import {
  deadLetterTopicName,
  orderRejectedEventSchema,
  orderValidatedV1EventSchema,
  orderValidatedV2EventSchema,
  shipmentCreatedEventSchema,
  type Address,
} from '@shop/contracts';
import { KafkajsClient, kafkaSecurityFromEnv, provisionTopics, readRecords, type Admin, type Producer } from '@shop/kafka';
import { createTestDatabase, testInfra, uniqueName, waitUntil } from '@shop/test-infra';
import { ConnectClient, databaseFromUrl, warehouseDdl, warehouseSinkAcls, warehouseSinkConnectors, warehouseSinkTopics } from '.';

const log = (msg: string) => process.stderr.write(`[warehouse-it] ${msg}\n`);

const address = (city: string): Address => ({ line1: 'Hauptstr. 1', city, postalCode: '10115', country: 'DE' });
const meta = (id: string, at: string) => ({ id, occurredAt: at, source: 'order-validation', correlationId: `c-${id}`, causationId: null });

// What each topic holds, written as producers write it (each version as it is, not upcast).
const validatedV1 = orderValidatedV1EventSchema.parse({
  ...meta('ev-o1', '2026-11-25T10:00:01.000Z'),
  type: 'OrderValidated',
  version: 1,
  payload: {
    orderId: 'o-1',
    userId: 'u-1',
    totalCents: 1999,
    currency: 'EUR',
    lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: 1999 }],
    shippingAddress: address('Berlin'),
    placedAt: '2026-11-25T10:00:00.000Z',
    validatedAt: '2026-11-25T10:00:01.000Z',
  },
});
const validatedV2 = orderValidatedV2EventSchema.parse({
  ...meta('ev-o2', '2026-11-25T11:00:01.250Z'),
  type: 'OrderValidated',
  version: 2,
  payload: {
    orderId: 'o-2',
    userId: 'u-2',
    totalCents: 4500,
    currency: 'USD',
    lines: [{ productId: 'p-2', category: 'garden', quantity: 3, unitPriceCents: 1500 }],
    shippingAddress: address('Hamburg'),
    placedAt: '2026-11-25T11:00:00.5Z',
    validatedAt: '2026-11-25T11:00:01.250+01:00',
    channel: 'mobile',
  },
});
const validatedV2NoChannel = orderValidatedV2EventSchema.parse({
  ...validatedV2,
  id: 'ev-o3',
  payload: { ...validatedV2.payload, orderId: 'o-3', channel: undefined, totalCents: 0 },
});
const rejected = orderRejectedEventSchema.parse({
  ...meta('ev-o4', '2026-11-25T12:00:01.000Z'),
  type: 'OrderRejected',
  version: 1,
  payload: {
    orderId: 'o-4',
    userId: 'u-4',
    reasons: [{ code: 'unknown-user', message: 'no such user' }],
    placedAt: '2026-11-25T12:00:00.000Z',
    rejectedAt: '2026-11-25T12:00:01.000Z',
  },
});
const shipment = (shipmentId: string, orderId: string, city: string) =>
  shipmentCreatedEventSchema.parse({
    ...meta(`ev-${shipmentId}`, '2026-11-25T13:00:00.000Z'),
    source: 'shipping',
    type: 'ShipmentCreated',
    version: 1,
    payload: { shipmentId, orderId, userId: 'u-1', address: address(city), createdAt: '2026-11-25T13:00:00.123456Z' },
  });
const shipments = [shipment('s-1', 'o-1', 'Berlin'), shipment('s-2', 'o-2', 'Hamburg')];

/** The row the sink must write for an OrderValidated of either version (timestamps compared as instants). */
function orderRow(event: typeof validatedV1 | typeof validatedV2) {
  const p = event.payload;
  return {
    order_id: p.orderId,
    user_id: p.userId,
    total_cents: String(p.totalCents), // bigint comes back from pg as a string
    currency: p.currency,
    channel: 'channel' in p ? (p.channel ?? null) : null,
    ship_line1: p.shippingAddress.line1,
    ship_city: p.shippingAddress.city,
    ship_postal_code: p.shippingAddress.postalCode,
    ship_country: p.shippingAddress.country,
    placed_at: new Date(p.placedAt).toISOString(),
    validated_at: new Date(p.validatedAt).toISOString(),
    event_id: event.id,
    event_version: event.version,
  };
}

function shipmentRow(event: ReturnType<typeof shipment>) {
  const p = event.payload;
  return {
    shipment_id: p.shipmentId,
    order_id: p.orderId,
    user_id: p.userId,
    line1: p.address.line1,
    city: p.address.city,
    postal_code: p.address.postalCode,
    country: p.address.country,
    // PostgreSQL keeps microseconds; a JS Date only milliseconds: compare the text of the instant.
    created_at: '2026-11-25 13:00:00.123456+00',
    event_id: event.id,
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

describe('warehouse sink: validated orders and shipments into PostgreSQL (Debezium JDBC sink on Kafka Connect)', () => {
  const connectUrl = process.env['CONNECT_URL'];
  const connect = new ConnectClient(connectUrl ?? 'http://connect-url-not-set');
  const prefix = `${uniqueName('wh')}_`;
  const [validationsTopic, shipmentsTopic] = warehouseSinkTopics(prefix);
  // Brokers that ask who is calling check ACLs as well (the local infra's SASL listener, where Connect signs in as
  // `connect`): the sink may read this run's topics once the test, as admin, grants it.
  const connectAcls = kafkaSecurityFromEnv().sasl ? warehouseSinkAcls(prefix) : [];
  let warehouse: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Client;
  let kafka: KafkajsClient;
  let admin: Admin;
  let producer: Producer;
  let connectorNames: string[] = [];

  const orders = async () =>
    (
      await db.query(
        `SELECT order_id, user_id, total_cents, currency, channel, ship_line1, ship_city, ship_postal_code, ship_country,
                to_json(placed_at)#>>'{}' AS placed_at, to_json(validated_at)#>>'{}' AS validated_at, event_id, event_version
           FROM validated_orders ORDER BY order_id`,
      )
    ).rows.map((r: Record<string, unknown>) => ({
      ...r,
      placed_at: new Date(String(r['placed_at'])).toISOString(),
      validated_at: new Date(String(r['validated_at'])).toISOString(),
    }));
  const shipmentRows = async () =>
    (
      await db.query(
        `SELECT shipment_id, order_id, user_id, line1, city, postal_code, country, created_at::text AS created_at, event_id
           FROM shipments ORDER BY shipment_id`,
      )
    ).rows;
  const waitForRows = (query: () => Promise<unknown[]>, ids: string[], key: string, description: string) =>
    waitUntil(
      async () => {
        const rows = (await query()) as Record<string, unknown>[];
        return ids.every((id) => rows.some((r) => r[key] === id)) ? rows : undefined;
      },
      { description, timeoutMs: 60_000, intervalMs: 250 },
    );

  beforeAll(async () => {
    if (!connectUrl) throw new Error('CONNECT_URL not set: run through `nx run cdc:int-test` (jest config needs: [connect])');
    warehouse = await createTestDatabase('warehouse');
    db = new Client({ connectionString: warehouse.url });
    await db.connect();
    await db.query(warehouseDdl());
    kafka = new KafkajsClient({ clientId: prefix, brokers: testInfra().kafkaBrokers, security: kafkaSecurityFromEnv() });
    admin = await kafka.admin();
    if (connectAcls.length > 0) await admin.createAcls(connectAcls);
    await provisionTopics(admin, [validationsTopic, shipmentsTopic]);
    producer = await kafka.producer();
  });

  afterAll(async () => {
    for (const name of connectorNames) await connect.delete(name).catch((e: unknown) => log(`delete ${name}: ${String(e)}`));
    await producer?.disconnect().catch(() => undefined);
    if (admin) {
      await admin.deleteGroups(connectorNames.map((n) => `connect-${n}`)).catch(() => undefined);
      const names = [validationsTopic.name, shipmentsTopic.name];
      await admin.deleteTopics([...names, ...names.map(deadLetterTopicName)]).catch(() => undefined);
      if (connectAcls.length > 0) await admin.deleteAcls(connectAcls).catch((e: unknown) => log(`delete ACLs: ${String(e)}`));
      await admin.disconnect();
    }
    await db?.end();
    await warehouse?.drop();
  });

  it('upserts exactly the OrderValidated (v1 and v2) and ShipmentCreated records, rejects none into a row, dead-letters a bad record, and stays exact on redelivery', async () => {
    await producer.send(validationsTopic.name, [
      { key: 'o-1', value: json(validatedV1) },
      { key: 'o-2', value: json(validatedV2) },
      { key: 'o-3', value: json(validatedV2NoChannel) },
      { key: 'o-4', value: json(rejected) },
      // Not JSON: fails in the converter, goes to the dead-letter topic, and the task keeps running.
      { key: 'o-bad', value: Buffer.from('{"type":"OrderValidated", not json', 'utf8'), partition: 0 },
    ]);
    await producer.send(
      shipmentsTopic.name,
      shipments.map((s) => ({ key: s.payload.orderId, value: json(s) })),
    );

    const connectors = warehouseSinkConnectors({ namePrefix: prefix, topicPrefix: prefix, database: databaseFromUrl(warehouse.url) });
    await connect.requirePlugins(connectors);
    connectorNames = connectors.map((c) => c.name);
    const t0 = Date.now();
    for (const c of connectors) await connect.upsert(c);
    for (const c of connectors) await connect.waitUntilRunning(c.name, 60_000);

    const expectedOrders = [orderRow(validatedV1), orderRow(validatedV2), orderRow(validatedV2NoChannel)];
    const expectedShipments = shipments.map(shipmentRow);
    await waitForRows(orders, ['o-1', 'o-2', 'o-3'], 'order_id', 'the three validated orders in the warehouse');
    await waitForRows(shipmentRows, ['s-1', 's-2'], 'shipment_id', 'the two shipments in the warehouse');
    log(`rows in the warehouse ${Date.now() - t0} ms after registration`);
    expect(await orders()).toEqual(expectedOrders);
    expect(await shipmentRows()).toEqual(expectedShipments);

    // The bad record: on the dead-letter topic, its original bytes and Connect's error context in headers.
    const [letter] = await readRecords(kafka, deadLetterTopicName(validationsTopic.name), uniqueName('wh_dlq'), 1, 30_000);
    expect(letter?.key?.toString('utf8')).toBe('o-bad');
    expect(letter?.value?.toString('utf8')).toBe('{"type":"OrderValidated", not json');
    expect(letter?.headers).toMatchObject({
      '__connect.errors.topic': validationsTopic.name,
      '__connect.errors.partition': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.connector.name': connectors[0]?.name,
    });
    log(`dead letter: ${letter?.headers['__connect.errors.exception.message']}`);

    // A duplicate (a producer retry): same key, same bytes, then a new order on the same partition. Once the new
    // order is in, the duplicate was written before it (one task, in partition order): still one row for o-2.
    const [o2] = await readRecords(kafka, validationsTopic.name, uniqueName('wh_o2'), 5, 30_000).then((rs) =>
      rs.filter((r) => r.key?.toString('utf8') === 'o-2'),
    );
    if (!o2) throw new Error('o-2 not found on the topic');
    const o5 = orderValidatedV2EventSchema.parse({ ...validatedV2, id: 'ev-o5', payload: { ...validatedV2.payload, orderId: 'o-5' } });
    await producer.send(validationsTopic.name, [
      { key: 'o-2', value: o2.value, partition: o2.partition },
      { key: 'o-5', value: json(o5), partition: o2.partition },
    ]);
    await waitForRows(orders, ['o-5'], 'order_id', 'o-5 after the duplicate of o-2');
    expect(await orders()).toEqual([...expectedOrders, orderRow(o5)]);

    // Redelivery of everything: stop the connectors, forget their offsets, resume. They read both topics again
    // from the start; a marker on every partition tells when they are through. The rows stay exactly the same.
    for (const name of connectorNames) await connect.stop(name);
    for (const name of connectorNames) await connect.waitUntilStopped(name);
    for (const name of connectorNames) await connect.resetOffsets(name);
    const rowsBefore = await db.query<{ n: string; max: string }>('SELECT count(*) AS n FROM validated_orders');
    for (const name of connectorNames) await connect.resume(name);
    for (const name of connectorNames) await connect.waitUntilRunning(name, 60_000);
    const markers = [0, 1, 2].map((partition) =>
      orderValidatedV2EventSchema.parse({
        ...validatedV2,
        id: `ev-m${partition}`,
        payload: { ...validatedV2.payload, orderId: `m-${partition}` },
      }),
    );
    await producer.send(
      validationsTopic.name,
      markers.map((m, partition) => ({ key: m.payload.orderId, value: json(m), partition })),
    );
    const shipmentMarker = shipment('s-m', 'o-3', 'Köln');
    await producer.send(
      shipmentsTopic.name,
      [0, 1, 2].map((partition) => ({
        key: `o-3-${partition}`,
        value: json({ ...shipmentMarker, payload: { ...shipmentMarker.payload, shipmentId: `s-m${partition}` } }),
        partition,
      })),
    );
    await waitForRows(orders, ['m-0', 'm-1', 'm-2'], 'order_id', 'the markers after the redelivery');
    await waitForRows(shipmentRows, ['s-m0', 's-m1', 's-m2'], 'shipment_id', 'the shipment markers after the redelivery');
    expect(rowsBefore.rows[0]?.n).toBe('4');
    const byOrderId = (a: { order_id: string }, b: { order_id: string }) => a.order_id.localeCompare(b.order_id);
    expect(await orders()).toEqual([...expectedOrders, orderRow(o5), ...markers.map(orderRow)].sort(byOrderId));
    const shipmentsAfter = await shipmentRows();
    expect(shipmentsAfter.filter((r: { shipment_id: string }) => !r.shipment_id.startsWith('s-m'))).toEqual(expectedShipments);
    expect(shipmentsAfter).toHaveLength(5);
    // The bad record was redelivered too, and dead-lettered again (OrderRejected never was: the filter drops it);
    // the tasks never failed.
    const letters = await readRecords(kafka, deadLetterTopicName(validationsTopic.name), uniqueName('wh_dlq2'), 2, 30_000);
    expect(letters.map((r) => r.key?.toString('utf8'))).toEqual(['o-bad', 'o-bad']);
    const dlqOffsets = await admin.fetchOffsets(deadLetterTopicName(validationsTopic.name));
    expect(dlqOffsets.reduce((n, p) => n + Number(p.high - p.low), 0)).toBe(2);
    const shipmentDlq = await admin.fetchOffsets(deadLetterTopicName(shipmentsTopic.name));
    expect(shipmentDlq.reduce((n, p) => n + Number(p.high - p.low), 0)).toBe(0);
    for (const name of connectorNames) expect((await connect.status(name))?.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  });
});
