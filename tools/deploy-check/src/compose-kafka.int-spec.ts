/**
 * docker-compose.yml's broker, run as the apache/kafka image would run it: its server.properties rendered from the
 * service's environment by the image's rules (compose-model), its JAAS file and healthcheck properties from the
 * compose configs, the passwords from .env.example; on the local infra's Kafka jars (the same 4.1.1), since no Docker
 * engine runs here. The hosts and ports of the compose network become free ports on 127.0.0.1; nothing else changes.
 * Then what compose runs against it: the healthcheck, kafka-init's ACL grant with its environment, and the clients
 * with theirs: shipping may write shipments but not orders, Connect may create its storage topics, a client without
 * credentials is refused.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { KafkajsClient, kafkaSecurityFromEnv, type KafkaSecurity } from '@shop/kafka';
import { freePort } from '@shop/test-infra';
import { envOf, interpolate, kafkaImageProperties, type Env } from './compose-model';
import { infraLocalValue, read, ROOT } from './workspace';

interface ComposeService {
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[] };
  command?: string[];
}
const compose = parse(interpolate(read('docker-compose.yml')), { merge: true }) as {
  services: Record<string, ComposeService>;
  configs: Record<string, { content: string }>;
};
const envOfService = (name: string): Env => envOf(compose.services[name]);

describe("docker-compose.yml's broker, configured as the apache/kafka image configures it", () => {
  // Java and the Kafka jars of the local infra (installed by the tests' global setup).
  const { java, jarsDir } = infraLocalValue<{ java: string; jarsDir: string }>(
    '{ java: java.javaBinary(), jarsDir: config.loadConfig().kafka.jarsDir }',
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-kafka-'));
  const file = (name: string) => path.join(dir, name);
  const ports: Record<string, number> = {};
  /** A compose address (kafka:9092, localhost:19092, :9093 ...) as this run's. */
  const relocate = (value: string) =>
    value.replace(/(?:kafka|localhost)?:(9092|19092|9093)\b/g, (_, port: string) => `127.0.0.1:${ports[port]}`);
  let broker: ChildProcess | undefined;
  let brokers: string[] = [];

  /** Runs a Java class of the Kafka jars; its exit code and output. */
  const javaTool = (main: string, args: string[]) =>
    spawnSync(java, ['-Xmx256m', '-cp', `${jarsDir}/*`, main, ...args], { encoding: 'utf8', timeout: 60_000 });

  const client = (security: KafkaSecurity | undefined, retries = 2) =>
    new KafkajsClient({ clientId: 'compose-kafka', brokers, logLevel: 'nothing', retries, ...(security ? { security } : {}) });

  beforeAll(async () => {
    for (const port of ['9092', '19092', '9093']) ports[port] = await freePort();
    brokers = [relocate('kafka:9092')];
    const env = envOfService('kafka');
    const { properties } = kafkaImageProperties(env);
    const relocated = Object.entries(properties).map(([k, v]) => [k, k === 'log.dirs' ? file('data') : relocate(v)]);
    fs.writeFileSync(file('server.properties'), relocated.map(([k, v]) => `${k}=${v}\n`).join(''));
    fs.writeFileSync(file('jaas.conf'), compose.configs['kafka-jaas']?.content ?? '');
    fs.writeFileSync(file('healthcheck.properties'), compose.configs['kafka-healthcheck']?.content ?? '');

    // The image's launch script: format the storage with the cluster id (static voters), then run the broker.
    const format = javaTool('kafka.tools.StorageTool', [
      'format',
      '--cluster-id',
      env['CLUSTER_ID'] ?? '',
      '--config',
      file('server.properties'),
    ]);
    if (format.status !== 0) throw new Error(`kafka-storage format failed: ${format.stdout}${format.stderr}`);
    const opts = (env['KAFKA_OPTS'] ?? '').replace('/etc/kafka/jaas.conf', file('jaas.conf'));
    const heap = (env['KAFKA_HEAP_OPTS'] ?? '').split(/\s+/).filter(Boolean);
    const out = fs.openSync(file('kafka.out'), 'w');
    broker = spawn(java, [...heap, ...opts.split(/\s+/).filter(Boolean), '-cp', `${jarsDir}/*`, 'kafka.Kafka', file('server.properties')], {
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
  }, 90_000);

  afterAll(async () => {
    if (broker && broker.exitCode === null) {
      const exited = new Promise((resolve) => broker?.once('exit', resolve));
      broker.kill('SIGTERM');
      const killer = setTimeout(() => broker?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }, 40_000);

  it("turns healthy by compose's own healthcheck: the broker tools signed in as the broker principal", async () => {
    const test = (compose.services['kafka']?.healthcheck?.test ?? []).join(' ');
    expect(test).toContain(
      'kafka-broker-api-versions.sh --bootstrap-server localhost:9092 --command-config /etc/kafka/healthcheck.properties',
    );
    const started = Date.now();
    let last = '';
    while (Date.now() - started < 90_000) {
      if (broker?.exitCode !== null) break;
      const check = javaTool('org.apache.kafka.tools.BrokerApiVersionsCommand', [
        '--bootstrap-server',
        relocate('localhost:9092'),
        '--command-config',
        file('healthcheck.properties'),
      ]);
      if (check.status === 0) return;
      last = `${check.stdout}${check.stderr}`.slice(-800);
      await sleep(1000);
    }
    throw new Error(
      `the broker did not turn healthy (exit ${broker?.exitCode}): ${last}\n--- kafka.out:\n${fs.readFileSync(file('kafka.out'), 'utf8').slice(-3000)}`,
    );
  }, 120_000);

  it('refuses a client without credentials', async () => {
    const outcome = await (async () => {
      const admin = await client(undefined, 0).admin();
      try {
        return await admin.listTopics();
      } finally {
        await admin.disconnect();
      }
    })().catch((error: Error) => `${error.name}: ${error.message}`);
    // The listener closes a connection that skips the SASL handshake.
    expect(outcome).toMatch(/KafkaJSConnectionClosedError|SASL|authenticat/i);
  }, 60_000);

  it("grants the ACLs with kafka-init's command and environment, as the admin", () => {
    const init = envOfService('kafka-init');
    expect(compose.services['kafka-init']?.command).toEqual(['node', 'dist/libs/kafka/scripts/acls.js', 'grant']);
    // The compiled script's source, run as npm run kafka:acls runs it (the image is not built here).
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'libs/kafka/scripts/acls.ts', 'grant'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], ...init, KAFKA_BROKERS: relocate(init['KAFKA_BROKERS'] ?? '') },
      timeout: 60_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^granted \d+ ACLs of .*User:shipping.*User:connect/);
  }, 90_000);

  it('holds each service to its ACLs as it signs in with its compose environment: shipping writes shipments, not orders', async () => {
    const admin = await client(kafkaSecurityFromEnv(envOfService('kafka-init'))).admin();
    try {
      await admin.createTopics(['orders', 'shipments'].map((name) => ({ name, partitions: 1, config: {} })));
    } finally {
      await admin.disconnect();
    }
    const produce = async (topic: string, service = 'shipping') => {
      const producer = await client(kafkaSecurityFromEnv(envOfService(service))).producer();
      try {
        await producer.send(topic, [{ key: 'k', value: 'v' }]);
        return 'written';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await producer.disconnect();
      }
    };
    expect(await produce('shipments')).toBe('written');
    expect(await produce('orders')).toMatch(/not authorized|authorization/i);
    // A principal with a "-" in its name (user_order-validation in the JAAS file) signs in too.
    expect(await produce('orders', 'order-validation')).toBe('written');
  }, 90_000);

  it("lets Kafka Connect's worker, as compose signs it in, create its storage topics (kafka-init granted them)", async () => {
    const connect = envOfService('connect');
    const jaas = /username="([^"]+)" password="([^"]+)"/.exec(connect['CONNECT_SASL_JAAS_CONFIG'] ?? '');
    const security: KafkaSecurity = { ssl: false, sasl: { mechanism: 'plain', username: jaas?.[1] ?? '', password: jaas?.[2] ?? '' } };
    const admin = await client(security).admin();
    try {
      await admin.createTopics([{ name: connect['CONFIG_STORAGE_TOPIC'] ?? '', partitions: 1, config: { 'cleanup.policy': 'compact' } }]);
      expect(await admin.listTopics()).toContain(connect['CONFIG_STORAGE_TOPIC']);
      // Nothing beyond its grants: the orders topic is no business of Connect's.
      await expect(admin.fetchOffsets('orders')).rejects.toThrow(/not authorized|authorization/i);
    } finally {
      await admin.disconnect();
    }
  }, 90_000);
});
