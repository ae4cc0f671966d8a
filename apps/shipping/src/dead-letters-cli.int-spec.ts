import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Topics, withTopicPrefix, type Address, type OrderValidatedEvent } from '@shop/contracts';
import type { Admin, EventProducer } from '@shop/kafka';
import { runDlq, type DlqListing, type DlqShown } from '@shop/nest-platform';
import { freePort, startServiceUnderTest, testInfra, uniqueName, waitUntil, type ServiceUnderTest } from '@shop/testing';
import { AppModule } from './app.module';
import { loadConfig, type ShippingConfig } from './config/config';
import { PrismaService } from './database/prisma.service';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * `npm run dlq` against shipping as main.ts starts it, on the real broker and a fresh database: a verdict the
 * shipments view rejects lands on `<prefix>order-validations.dlq`, the CLI lists and shows it from its headers,
 * the fix is deployed, the CLI's replay applies it through the admin endpoint, and a second replay applies nothing.
 */
describe('npm run dlq against shipping', () => {
  const prefix = `${uniqueName('dlqcli')}_`;
  const validations = withTopicPrefix(Topics.orderValidations, prefix);
  const shipmentsTopic = withTopicPrefix(Topics.shipments, prefix);
  const atlantis: Address = { line1: '1 Sunken Way', city: 'Atlantis', postalCode: '00000', country: 'GR' };
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const verdict: OrderValidatedEvent = {
    id: 'o-atl:verdict',
    type: 'OrderValidated',
    version: 2,
    occurredAt: '2026-11-25T13:00:00.000Z',
    source: 'order-validation',
    correlationId: 'o-atl',
    causationId: 'o-atl:placed',
    payload: {
      orderId: 'o-atl',
      userId: 'u-1',
      totalCents: 2500,
      currency: 'EUR',
      lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: 2500 }],
      shippingAddress: atlantis,
      placedAt: '2026-11-25T12:59:59.000Z',
      validatedAt: '2026-11-25T13:00:00.000Z',
    },
  };
  let sut: ServiceUnderTest<ShippingConfig>;
  let admin: Admin;
  let producer: EventProducer;

  const cliEnv = (extra: Record<string, string> = {}) => ({
    ...testInfra().kafkaEnv,
    TOPIC_PREFIX: prefix,
    ADMIN_TOKEN: sut.adminToken,
    ...extra,
  });
  /** The CLI's main function in this process (the service runs here too: nothing may block the event loop). */
  const cli = async (argv: string[], env = cliEnv()) => {
    let stdout = '';
    let stderr = '';
    const code = await runDlq(argv, { env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    return { code, stdout, stderr };
  };
  const sql = <T>(statement: string) => sut.app.get(PrismaService).$queryRawUnsafe<T>(statement);
  const shipmentRows = async () =>
    Number((await sql<{ n: bigint }[]>(`SELECT count(*) AS n FROM shipments WHERE order_id = 'o-atl'`))[0]?.n);
  const producedCount = async () => (await admin.fetchOffsets(shipmentsTopic.name)).reduce((sum, p) => sum + Number(p.high), 0);

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: 'shipping',
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
    });
    ({ admin, producer } = sut.kafka);
    await waitUntil(async () => ((await fetch(`${sut.baseUrl}/health`)).status === 200 ? true : undefined), {
      description: 'shipping to be ready',
      timeoutMs: 60_000,
    });
  });

  afterAll(() => sut?.stop());

  it('lists and shows the rejected verdict from its headers, replays it into the view once fixed, and applies nothing the second time', async () => {
    // The "bug": a constraint the shipments table should never have had; the verdict is dead-lettered.
    await sql(`ALTER TABLE shipments ADD CONSTRAINT test_no_atlantis CHECK (city <> 'Atlantis')`);
    await producer.send(validations, [{ key: 'o-atl', value: verdict, headers: { traceparent } }]);

    const listing = await waitUntil(
      async () => {
        const listed = await cli(['list', 'order-validations', '--json']);
        if (listed.code !== 0) throw new Error(`dlq list exited ${listed.code}: ${listed.stderr}`);
        const parsed = JSON.parse(listed.stdout) as DlqListing;
        return parsed.total > 0 ? parsed : undefined;
      },
      { description: 'the rejected verdict on the DLQ', timeoutMs: 30_000 },
    );
    expect(listing).toMatchObject({ topic: `${validations.name}.dlq`, total: 1, foreign: 0 });
    const [letter] = listing.items;
    expect(letter).toEqual({
      partition: expect.any(Number),
      offset: '0',
      key: 'o-atl',
      consumer: `${prefix}shipping.shipments`,
      error: { type: expect.any(String), message: expect.stringMatching(/test_no_atlantis|check constraint|23514/) },
      attempts: 1,
      failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      original: { topic: validations.name, partition: expect.any(Number), offset: '0', timestamp: expect.any(Number) },
      headers: { traceparent },
    });
    if (!letter?.original) throw new Error('no letter');
    const at = `${letter.partition}:${letter.offset}`;

    // The text form (the .dlq name works too, with or without the prefix), and the same from the npm script's entry file.
    const text = await cli(['list', `${validations.name}.dlq`]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${validations.name}.dlq: 1 dead letter\n`);
    expect(text.stdout).toContain(
      `${at}  key "o-atl"  from ${validations.name} ${letter.original.partition}:0  rejected by ${prefix}shipping.shipments  at ${letter.failedAt} (attempts 1)\n`,
    );
    const child = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'libs/nest-platform/scripts/dlq.ts', 'list', 'order-validations', '--consumer', 'shipping.shipments'],
      { cwd: REPO_ROOT, env: { ...process.env, ...cliEnv() } },
    );
    expect(child.stdout).toContain(`${validations.name}.dlq: 1 dead letter of shipping.shipments\n${at}  key "o-atl"`);

    const shown = await cli(['show', 'order-validations', at, '--json']);
    expect(shown.code).toBe(0);
    const one = JSON.parse(shown.stdout) as DlqShown;
    expect(one.value).toEqual({ encoding: 'json', bytes: expect.any(Number), json: verdict });
    expect(one.headers).toMatchObject({
      traceparent,
      'dlq.consumer': `${prefix}shipping.shipments`,
      'dlq.original.topic': validations.name,
      'dlq.original.offset': '0',
      'dlq.error.message': letter.error?.message,
    });
    expect((await cli(['show', 'order-validations', at])).stdout).toContain(`value (JSON, `);
    expect(await cli(['show', 'order-validations', `${letter.partition}:1`])).toMatchObject({
      code: 1,
      stderr: `dlq: no record at ${letter.partition}:1 of ${validations.name}.dlq (partition ${letter.partition} holds offsets 0..0)\n`,
    });
    expect((await fetch(`${sut.baseUrl}/shipments/o-atl`)).status).toBe(404);
    expect(await shipmentRows()).toBe(0);
    const producedBefore = await producedCount();

    await sql('ALTER TABLE shipments DROP CONSTRAINT test_no_atlantis'); // the fix is deployed
    const replayed = await cli(['replay', 'shipments', '--service', 'shipping', '--url', sut.baseUrl]);
    expect(replayed).toMatchObject({ code: 0, stderr: '' });
    expect(replayed.stdout).toBe(
      [
        `shipping: view shipments, dead letters of ${validations.name}.dlq`,
        '  applied           1',
        '  still failing     0',
        '  already replayed  0',
        '  other consumers   0 (their letters, passed over)',
        '',
      ].join('\n'),
    );
    // The view is exact: one row, at the verdict's address, and its one ShipmentCreated (shipping is that topic's writer).
    expect(await shipmentRows()).toBe(1);
    const shipment = (await (await fetch(`${sut.baseUrl}/shipments/o-atl`)).json()) as Record<string, unknown>;
    expect(shipment).toMatchObject({ orderId: 'o-atl', address: atlantis, verdictId: 'o-atl:verdict' });
    expect(await producedCount()).toBe(producedBefore + 1);

    // Again, by the consumer the listing printed: the replay position was stored with the letter, nothing is applied.
    const again = await cli(['replay', letter.consumer ?? '', '--url', sut.baseUrl, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      view: 'shipments',
      topic: `${validations.name}.dlq`,
      applied: 0,
      stillFailing: 0,
      otherConsumers: 0,
      alreadyReplayed: 0,
      complete: true,
      failures: [],
    });
    expect(await shipmentRows()).toBe(1);
    expect(await producedCount()).toBe(producedBefore + 1);
    // The letter stays on the DLQ: it is history, not a queue.
    expect((JSON.parse((await cli(['list', 'order-validations', '--json'])).stdout) as DlqListing).total).toBe(1);
  });

  it('exits 1 with the reason for a changelog view (422), an unknown view (404), a broker or a service that is away', async () => {
    const users = await cli(['replay', 'users', '--service', 'shipping', '--url', sut.baseUrl]);
    expect(users.code).toBe(1);
    expect(users.stderr).toMatch(/^dlq: replay of view users refused by shipping \(422 Unprocessable Entity\): .*rebuild the view instead/);
    const unknown = await cli(['replay', 'nope', '--service', 'shipping', '--url', sut.baseUrl]);
    expect(unknown.stderr).toBe(
      'dlq: replay of view nope refused by shipping (404 Not Found): no view named "nope" (known: users, shipments)\n',
    );

    const port = await freePort();
    const noBroker = await cli(['list', 'order-validations'], cliEnv({ KAFKA_BROKERS: `127.0.0.1:${port}` }));
    expect(noBroker.code).toBe(1);
    expect(noBroker.stderr).toMatch(new RegExp(`^dlq: cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\(KAFKA_BROKERS\\): .*ECONNREFUSED`));
    expect(noBroker.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const noService = await cli(['replay', 'shipments', '--url', `http://127.0.0.1:${port}`]);
    expect(noService).toEqual({
      code: 1,
      stdout: '',
      stderr: `dlq: cannot reach the service at http://127.0.0.1:${port} (ECONNREFUSED): is it running? (--url for another address)\n`,
    });
    const noTopic = await cli(['list', 'nope']);
    expect(noTopic.stderr).toMatch(
      new RegExp(
        `^dlq: no topic ${prefix}nope\\.dlq on .* \\(TOPIC_PREFIX=${prefix}\\); dead-letter topics there: .*${validations.name}\\.dlq`,
      ),
    );
  });
});
