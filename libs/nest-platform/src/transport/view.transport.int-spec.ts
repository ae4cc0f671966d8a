import { Controller, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Topics, withTopicPrefix, type OrderVerdictEvent, type ShipmentCreatedEvent, type UserRecord } from '@shop/contracts';
import { createPgAdapter } from '@shop/db';
import {
  DeadLetterHeaders,
  EventProducer,
  KafkajsClient,
  kafkaSecurityFromEnv,
  readRecords,
  startSpan,
  traceIdOf,
  UnprocessableRecordError,
  usersTableView,
  type Admin,
  type KafkaClient,
  type Producer,
} from '@shop/kafka';
import { createTestDatabase, testInfra, uniqueName, waitUntil, type TestDatabase } from '@shop/test-infra';
import * as path from 'node:path';
import { PrismaClient } from '../../test-support/src/generated/prisma/client';
import { createServiceApp } from '../bootstrap/bootstrap';
import { JsonLogger } from '../logging/json.logger';
import { Materializers } from '../platform/materializers';
import { PlatformModule } from '../platform/platform.module';
import { ViewChunk, ViewContext } from './view-chunk';
import { ViewHandler } from './view-handler.decorator';

const MIGRATIONS = path.resolve(__dirname, '../../test-support/prisma/migrations');

/** What the test's processor saw, per call (a handler is a controller: the test reads its instance). */
const calls: { view: string; partition: number; orderIds: string[] }[] = [];
let failOnce: string | undefined;

/**
 * A processor as a service writes one: joins the users view, writes its table through the chunk's
 * transaction, produces ShipmentCreated for the rows that are new.
 */
@Controller()
class ShipmentsProcessor {
  @ViewHandler({
    view: 'shipments',
    topic: Topics.orderValidations,
    joins: ['users'],
    produces: [Topics.shipments],
    tables: ['test_shipments'],
  })
  async onVerdicts(@Payload() chunk: ViewChunk<OrderVerdictEvent>, @Ctx() context: ViewContext): Promise<void> {
    const verdicts = chunk.firstPerKey();
    calls.push({ view: context.view, partition: context.partition, orderIds: verdicts.map((v) => v.payload.orderId) });
    if (failOnce && verdicts.some((v) => v.payload.orderId === failOnce)) {
      failOnce = undefined;
      throw new Error('the database went away (simulated)'); // not the records' fault: retried
    }
    if (verdicts.some((v) => v.payload.orderId.startsWith('poison'))) throw new UnprocessableRecordError('a poison order');
    const validated = verdicts.flatMap((v) => (v.type === 'OrderValidated' ? [v] : []));
    if (validated.length === 0) return;
    const users = await chunk.tx.$queryRawUnsafe<{ id: string; name: string }[]>(
      'SELECT id, name FROM users_view WHERE id = ANY($1::text[])',
      validated.map((v) => v.payload.userId),
    );
    const names = new Map(users.map((u) => [u.id, u.name]));
    const inserted = await chunk.tx.$queryRawUnsafe<{ order_id: string }[]>(
      `INSERT INTO test_shipments (order_id, recipient_name, verdict_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      validated.map((v) => v.payload.orderId),
      validated.map((v) => names.get(v.payload.userId) ?? '(unknown)'),
      validated.map((v) => v.id),
    );
    const fresh = new Set(inserted.map((r) => r.order_id));
    await chunk.produce(
      Topics.shipments,
      validated
        .filter((v) => fresh.has(v.payload.orderId))
        .map((v) => ({
          key: v.payload.orderId,
          value: shipmentCreated(v.payload.orderId, v.payload.userId),
        })),
    );
  }
}

/** Declares it produces a topic the service is not the single writer of. */
@Controller()
class TrespassingProcessor {
  @ViewHandler({ view: 'trespass', topic: Topics.orderValidations, produces: [Topics.orders], tables: ['test_shipments'] })
  async onVerdicts(): Promise<void> {
    return undefined;
  }
}

function shipmentCreated(orderId: string, userId: string): ShipmentCreatedEvent {
  return {
    id: `${orderId}:shipment`,
    type: 'ShipmentCreated',
    version: 1,
    occurredAt: '2026-11-25T10:00:05.000Z',
    source: 'shipping',
    correlationId: orderId,
    causationId: `${orderId}:verdict`,
    payload: {
      shipmentId: `shp-${orderId}`,
      orderId,
      userId,
      address: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
      createdAt: '2026-11-25T10:00:05.000Z',
    },
  };
}

const user = (id: string, name: string): UserRecord => ({
  id,
  email: `${id}@example.com`,
  name,
  status: 'active',
  country: 'DE',
  region: 'europe',
  address_line1: '1 Hauptstraße',
  city: 'Berlin',
  postal_code: '10115',
  created_at: '2026-11-25T10:00:00.000Z',
  updated_at: '2026-11-25T10:00:00.000Z',
});

const verdict = (orderId: string, userId: string, status: 'validated' | 'rejected'): OrderVerdictEvent =>
  status === 'validated'
    ? {
        id: `${orderId}:verdict`,
        type: 'OrderValidated',
        version: 2,
        occurredAt: '2026-11-25T10:00:02.000Z',
        source: 'order-validation',
        correlationId: orderId,
        causationId: `${orderId}:placed`,
        payload: {
          orderId,
          userId,
          totalCents: 2500,
          currency: 'EUR',
          lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: 2500 }],
          shippingAddress: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
          placedAt: '2026-11-25T10:00:00.000Z',
          validatedAt: '2026-11-25T10:00:02.000Z',
        },
      }
    : {
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
          reasons: [{ code: 'unknown-user', message: 'no such user' }],
          placedAt: '2026-11-25T10:00:00.000Z',
          rejectedAt: '2026-11-25T10:00:02.000Z',
        },
      };

describe('ViewTransport: @ViewHandler controllers run as materialized views (real Kafka and PostgreSQL)', () => {
  const prefix = `${uniqueName('vt')}_`;
  const users = withTopicPrefix(Topics.users, prefix);
  const validations = withTopicPrefix(Topics.orderValidations, prefix);
  const shipments = withTopicPrefix(Topics.shipments, prefix);
  let db: TestDatabase;
  let app: INestApplication;
  let client: KafkaClient;
  let admin: Admin;
  let raw: Producer;
  let producer: EventProducer;

  const moduleWith = (controller: new () => object, service = 'shipping'): DynamicModule => {
    @Module({})
    class TestModule {}
    return {
      module: TestModule,
      imports: [
        PlatformModule.forRoot({
          service,
          kafkaBrokers: testInfra().kafkaBrokers,
          kafkaSecurity: kafkaSecurityFromEnv(),
          databaseUrl: db.url,
          topicPrefix: prefix,
          logLevel: 'warn',
          migrationsDir: MIGRATIONS,
          prisma: (url) => new PrismaClient({ adapter: createPgAdapter(url) }),
          healthMaxLag: 0,
          joinCatchUpMs: 20_000,
          views: [usersTableView({ name: 'users', topicPrefix: prefix, table: 'users_view', fields: ['name'] })],
          httpEndpoints: false,
        }),
      ],
      controllers: [controller],
    };
  };
  const rows = async () => {
    const prisma = new PrismaClient({ adapter: createPgAdapter(db.url) });
    try {
      return await prisma.testShipment.findMany({ orderBy: { orderId: 'asc' } });
    } finally {
      await prisma.$disconnect();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('view_transport');
    client = new KafkajsClient({ clientId: uniqueName('vt_test'), brokers: testInfra().kafkaBrokers, security: kafkaSecurityFromEnv() });
    [admin, raw] = await Promise.all([client.admin(), client.producer()]);
    producer = new EventProducer(raw);
    app = await createServiceApp(moduleWith(ShipmentsProcessor), { logger: new JsonLogger({ service: 'shipping', level: 'warn' }) });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await raw?.disconnect();
    await admin?.deleteTopics([users, validations, shipments].flatMap((t) => [t.name, `${t.name}.dlq`])).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  });

  it('registers the handler and the library view, provisions what they consume and produce, and runs both', async () => {
    const materializers = app.get(Materializers);
    expect(materializers.names).toEqual(['users', 'shipments']);
    const topics = await admin.listTopics();
    expect(topics).toEqual(expect.arrayContaining([users.name, validations.name, shipments.name]));
    await waitUntil(async () => (await materializers.statuses()).every((s) => s.running && s.caughtUp) || undefined, {
      description: 'both views joined and caught up',
      timeoutMs: 60_000,
    });
  });

  it('hands each chunk and its transaction to the handler: joins caught up first, events produced with the trace continued', async () => {
    const incoming = startSpan('test: validate order', undefined);
    // The user is written an instant before the verdicts that need it: the declared join waits for the users view.
    await producer.send(users, [{ key: 'u-1', value: user('u-1', 'Ada') }]);
    await producer.send(validations, [
      { key: 'o-1', value: verdict('o-1', 'u-1', 'validated'), headers: incoming.headers },
      { key: 'o-2', value: verdict('o-2', 'u-1', 'rejected') },
      { key: 'o-1', value: verdict('o-1', 'u-1', 'validated') }, // a redelivery within the chunk: counted once
    ]);
    await raw.send(validations.name, [{ key: 'o-bad', value: Buffer.from('{not json') }]);
    await producer.send(validations, [{ key: 'o-3', value: verdict('o-3', 'u-1', 'validated') }]);

    await waitUntil(async () => ((await rows()).length === 2 ? true : undefined), { description: 'two shipments', timeoutMs: 30_000 });
    expect((await rows()).map((r) => [r.orderId, r.recipientName])).toEqual([
      ['o-1', 'Ada'],
      ['o-3', 'Ada'],
    ]);
    expect(calls.every((c) => c.view === 'shipments' && c.partition >= 0)).toBe(true);
    expect(calls.flatMap((c) => c.orderIds).filter((id) => id === 'o-1')).toEqual(['o-1']);

    const produced = await readRecords(client, shipments.name, uniqueName('vt_reader'), 2);
    const byKey = new Map(produced.map((r) => [r.key?.toString() ?? '', r]));
    expect([...byKey.keys()].sort()).toEqual(['o-1', 'o-3']);
    expect(traceIdOf(byKey.get('o-1')?.headers)).toBe(incoming.traceId);

    const [letter] = await readRecords(client, `${validations.name}.dlq`, uniqueName('vt_dlq'), 1);
    expect(letter?.key?.toString()).toBe('o-bad');
    expect(letter?.headers[DeadLetterHeaders.errorMessage]?.toString()).toMatch(/not JSON/);
  });

  it("keeps the handler's own errors as they are: a poison record is dead-lettered, an outage is retried", async () => {
    failOnce = 'o-5';
    await producer.send(validations, [
      { key: 'poison-4', value: verdict('poison-4', 'u-1', 'validated') },
      { key: 'o-5', value: verdict('o-5', 'u-1', 'validated') },
    ]);
    await waitUntil(async () => ((await rows()).some((r) => r.orderId === 'o-5') ? true : undefined), {
      description: 'o-5 applied after the simulated outage',
      timeoutMs: 30_000,
    });
    expect(failOnce).toBeUndefined();
    const letters = await readRecords(client, `${validations.name}.dlq`, uniqueName('vt_dlq'), 2);
    const poison = letters.find((l) => l.key?.toString() === 'poison-4');
    // Nest's RPC exception layer would have turned it into "Internal server error" (and the chunk would retry forever).
    expect(poison?.headers[DeadLetterHeaders.errorType]?.toString()).toBe('UnprocessableRecordError');
    expect(poison?.headers[DeadLetterHeaders.errorMessage]?.toString()).toBe('a poison order');
    expect(letters.filter((l) => l.key?.toString() === 'o-5')).toEqual([]);
  });

  it('rebuilds the view from offset 0 by emptying its declared tables: the same rows come back', async () => {
    const before = await rows();
    await app.get(Materializers).rebuild('shipments');
    await waitUntil(async () => ((await rows()).length === before.length ? true : undefined), {
      description: 'rebuilt',
      timeoutMs: 30_000,
    });
    expect(await rows()).toEqual(before);
  });

  it('refuses to start a service whose handler declares a topic another service writes', async () => {
    await expect(
      createServiceApp(moduleWith(TrespassingProcessor), { logger: new JsonLogger({ service: 'shipping', level: 'fatal' }) }),
    ).rejects.toThrow(/view trespass declares it produces orders, whose single writer is order-validation, not shipping/);
  });
});
