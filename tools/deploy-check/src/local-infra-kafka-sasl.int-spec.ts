/**
 * The local infra's broker (what `npm start` and the tests run on) has a listener that asks for SASL PLAIN, with one
 * principal per service, one for Kafka Connect and an admin (issue #13, first step: no ACLs yet, and the open
 * listener stays beside it). A client authenticates with the credentials the services read from the environment
 * (KAFKA_SASL_*), a wrong password is refused, and a client without credentials gets nothing. Runs when the tests'
 * broker is the local infra's single broker (CI, `npm test` on a machine without Docker).
 */
import { execFileSync } from 'node:child_process';
import { KafkajsClient, kafkaSecurityFromEnv, type KafkaSecurity } from '@shop/kafka';
import { ROOT } from './workspace';

interface LocalInfo {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaSasl?: {
    readonly brokers: readonly string[];
    readonly mechanism: string;
    readonly passwords: Readonly<Record<string, string>>;
  };
}

function status(): LocalInfo {
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ['infra/local/cli.mjs', 'status', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // `status` exits 1 when a component is down; its JSON is still on stdout.
    stdout = (error as { stdout?: string }).stdout ?? '{}';
  }
  return (JSON.parse(stdout) as { info: LocalInfo }).info;
}

const info = status();
const onLocalBroker = (process.env['KAFKA_BROKERS'] ?? '').split(',')[0] === info.kafkaBrokers[0] && info.kafkaSasl !== undefined;

/** Lists the topics through the SASL listener as `security` says; the outcome, never thrown. */
async function listAs(security: KafkaSecurity | undefined): Promise<{ topics?: number; error?: string }> {
  const client = new KafkajsClient({
    clientId: 'sasl-check',
    brokers: info.kafkaSasl?.brokers ?? [],
    logLevel: 'nothing',
    retries: 0,
    ...(security ? { security } : {}),
  });
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

  it('gives a client without credentials nothing', async () => {
    const outcome = await listAs(undefined);
    expect(outcome.topics).toBeUndefined();
    expect(outcome.error).toMatch(/Closed connection|disconnected|ECONNRESET/i);
  }, 90_000);
});
