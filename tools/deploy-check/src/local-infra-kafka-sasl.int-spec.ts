/**
 * The local infra's broker (what `npm start` and the tests run on) asks every client for SASL PLAIN (issue #13): one
 * principal per service, one for Kafka Connect and an admin, held to ACLs derived from the catalogue. A client
 * authenticates with the credentials the services read from the environment (KAFKA_SASL_*), a wrong password is
 * refused, a client without credentials is disconnected, shipping's principal may write shipments but not orders,
 * and Connect's may write users but not orders. Runs when the tests' broker is the local infra's single broker (CI,
 * `npm test` on a machine without Docker).
 */
import { randomUUID } from 'node:crypto';
import { allTopics, deadLetterTopicName, serviceNamed } from '@shop/contracts';
import { cdcAcls, KafkajsClient, kafkaSecurityFromEnv, serviceAcls, type Admin, type KafkaSecurity, type Producer } from '@shop/kafka';
import { infraCli } from './workspace';

interface LocalInfo {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaSasl?: {
    readonly mechanism: string;
    readonly passwords: Readonly<Record<string, string>>;
  };
}

const info = (JSON.parse(infraCli(['status', '--json'])) as { info: LocalInfo }).info;
const onLocalBroker = info.kafkaSasl !== undefined && (process.env['KAFKA_BROKERS'] ?? '').split(',')[0] === info.kafkaBrokers[0];

const as = (name: string, password: string): KafkaSecurity => ({ ssl: false, sasl: { mechanism: 'plain', username: name, password } });

/** Few retries: a refusal is what most of these calls expect (an idempotent producer needs some). */
const saslClient = (security: KafkaSecurity | undefined, retries = 0) =>
  new KafkajsClient({
    clientId: 'sasl-check',
    brokers: info.kafkaBrokers,
    logLevel: 'nothing',
    retries,
    ...(security ? { security } : {}),
  });

/** Lists the topics through the SASL listener as `security` says; the outcome, never thrown. */
async function listAs(security: KafkaSecurity | undefined): Promise<{ topics?: number; error?: string }> {
  const client = saslClient(security);
  try {
    const admin = await client.admin();
    try {
      return { topics: (await admin.listTopics()).length };
    } finally {
      await admin.disconnect();
    }
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

(onLocalBroker ? describe : describe.skip)('local infra: a SASL PLAIN listener with one principal per service', () => {
  const passwords = info.kafkaSasl?.passwords ?? {};

  it('lets every principal in with its own password, read from the variables a service reads', async () => {
    expect(Object.keys(passwords)).toEqual(expect.arrayContaining(['admin', 'connect', 'order-validation', 'shipping']));
    for (const name of ['order-validation', 'shipping', 'admin']) {
      const security = kafkaSecurityFromEnv({
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: name,
        KAFKA_SASL_PASSWORD: passwords[name],
      });
      expect({ name, outcome: await listAs(security) }).toEqual({ name, outcome: { topics: expect.any(Number) } });
    }
  }, 60_000);

  it("refuses a principal with another principal's password", async () => {
    const outcome = await listAs({
      ssl: false,
      sasl: { mechanism: 'plain', username: 'shipping', password: passwords['order-validation'] ?? '' },
    });
    expect(outcome.topics).toBeUndefined();
    expect(outcome.error).toMatch(/SASL PLAIN authentication failed/);
  }, 60_000);

  describe('ACLs from the catalogue', () => {
    const prefix = `sasl_${randomUUID().slice(0, 8)}_`;
    const names = ['orders', 'shipments', 'users', 'order-validations'].map((t) => `${prefix}${t}`);
    const acls = [
      ...serviceAcls(serviceNamed('shipping'), prefix),
      ...serviceAcls(serviceNamed('order-validation'), prefix),
      ...cdcAcls('connect', prefix),
    ];
    let admin: Admin;

    /** Sends one record to `topic` as `principal`; 'written' or the broker's refusal. */
    async function produceAs(principal: string, topic: string): Promise<string> {
      let producer: Producer | undefined;
      try {
        // A principal that may write no topic at all is refused its producer id already (cluster authorization).
        producer = await saslClient(as(principal, passwords[principal] ?? ''), 2).producer();
        await producer.send(`${prefix}${topic}`, [{ key: 'k', value: 'v' }]);
        return 'written';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await producer?.disconnect();
      }
    }

    beforeAll(async () => {
      // As the admin principal: the run's topics, and the ACLs of two services and of Connect.
      admin = await saslClient(as('admin', passwords['admin'] ?? ''), 5).admin();
      await admin.createTopics(
        allTopics
          .filter((t) => names.includes(`${prefix}${t.name}`))
          .flatMap((t) => [t.name, deadLetterTopicName(t.name)])
          .map((name) => ({ name: `${prefix}${name}`, partitions: 1, config: {} })),
      );
      await admin.createAcls(acls);
    }, 60_000);

    afterAll(async () => {
      await admin?.deleteTopics(names.flatMap((n) => [n, deadLetterTopicName(n)])).catch(() => undefined);
      await admin?.deleteAcls(acls).catch(() => undefined);
      await admin?.disconnect();
    });

    it("lets shipping write the topic it is the catalogue's writer of, and refuses it orders", async () => {
      expect(await produceAs('shipping', 'shipments')).toBe('written');
      expect(await produceAs('shipping', 'orders')).toMatch(/not authorized|authorization/i);
      expect(await produceAs('order-validation', 'orders')).toBe('written');
    }, 60_000);

    it("lets Connect's principal write the users topic (the CDC writer) and refuses it orders", async () => {
      expect(await produceAs('connect', 'users')).toBe('written');
      expect(await produceAs('connect', 'orders')).toMatch(/not authorized|authorization/i);
    }, 60_000);

    it('lets a principal read only what it consumes, and gives one without ACLs nothing', async () => {
      const shipping = await saslClient(as('shipping', passwords['shipping'] ?? '')).admin();
      try {
        await expect(shipping.fetchOffsets(`${prefix}users`)).resolves.toHaveLength(1);
        await expect(shipping.fetchOffsets(`${prefix}orders`)).rejects.toThrow(/not authorized|authorization/i);
      } finally {
        await shipping.disconnect();
      }
      expect(await produceAs('analytics', 'shipments')).toMatch(/not authorized|authorization/i);
    }, 60_000);
  });

  it('gives a client without credentials nothing', async () => {
    const outcome = await listAs(undefined);
    expect(outcome.topics).toBeUndefined();
    expect(outcome.error).toMatch(/Closed connection|disconnected|ECONNRESET/i);
  }, 90_000);
});
