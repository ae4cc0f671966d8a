// Every fact about the local infrastructure lives here: paths, ports, credentials, databases (from the services manifest).
// Override with environment variables; nothing here needs a build step.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The services manifest: every service's name, port, database and topics (libs/contracts reads it too). */
export const SERVICES_MANIFEST = path.join(REPO_ROOT, 'libs', 'contracts', 'src', 'services', 'services.json');

const SERVICE_FIELDS = {
  name: (v) => typeof v === 'string' && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(v),
  port: (v) => Number.isInteger(v) && v >= 1024 && v <= 65535,
  database: (v) => typeof v === 'string' && /^[a-z][a-z0-9_]{0,62}$/.test(v),
  kafka: (v) => typeof v === 'boolean',
  demo: (v) => v === 'default' || v === 'opt-in',
};

/**
 * The manifest's services. libs/contracts validates the whole file with zod (its unit test fails on a
 * typo); this script cannot load TypeScript, so it checks the fields it uses itself, to fail readably.
 */
export function readServices(file = SERVICES_MANIFEST) {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(manifest?.services)) throw new Error(`${file}: "services" must be an array`);
  for (const [index, service] of manifest.services.entries()) {
    for (const [field, valid] of Object.entries(SERVICE_FIELDS)) {
      if (!valid(service?.[field]))
        throw new Error(`${file}: services[${index}].${field} is invalid (${JSON.stringify(service?.[field])})`);
    }
  }
  return Object.freeze(manifest.services.map((s) => Object.freeze({ ...s })));
}

export const SERVICES = readServices();

/** One database per service (each service owns its own database). */
export const SERVICE_DATABASES = Object.freeze(SERVICES.map((s) => s.database));

/** The legacy monolith's database: its users table is what CDC streams (its role may replicate, see postgres.mjs). */
export const MONOLITH_DATABASE = SERVICES.find((s) => s.name === 'legacy-monolith')?.database ?? 'legacy_monolith';

/**
 * The Kafka principals of a deployment (SASL): one per service with a Kafka client (the manifest's names), Kafka
 * Connect (the CDC writer), an admin for provisioning and tests, and the broker itself (to its controller and to the
 * other brokers). The local infra and compose (.env.example, npm run docker:databases) have the same.
 */
export const KAFKA_PRINCIPALS = Object.freeze(['admin', 'broker', 'connect', ...SERVICES.filter((s) => s.kafka).map((s) => s.name)]);

/** Not a service's: where the JDBC sink exports validated orders and shipments for offline SQL (npm run warehouse:sink). */
export const WAREHOUSE_DATABASE = 'warehouse';

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    throw new Error(`${name} must be a TCP port number, got "${raw}"`);
  }
  return value;
}

/** The broker counts a profile can have: one broker (the default, CI) or a three-broker cluster. */
export const BROKER_COUNTS = Object.freeze([1, 3]);

/** SHOP_KAFKA_BROKERS: 1 (default) or 3; anything else is an error, not a silent single broker. */
export function brokerCountFromEnv(raw = process.env.SHOP_KAFKA_BROKERS) {
  if (raw === undefined || raw.trim() === '') return 1;
  const value = Number(raw);
  if (!BROKER_COUNTS.includes(value)) {
    throw new Error(`SHOP_KAFKA_BROKERS must be ${BROKER_COUNTS.join(' or ')} (brokers of the local Kafka), got "${raw}"`);
  }
  return value;
}

/**
 * What the brokers' own topics and the topics' defaults must be for `brokers` brokers: with three, every
 * partition has three replicas and a write is acknowledged once two of them have it (one broker may be lost
 * without losing an acknowledged write, and without stopping writes); with one, there is nothing to replicate to.
 */
export function replicationFor(brokers) {
  return brokers >= 3 ? { replicationFactor: 3, minInsyncReplicas: 2 } : { replicationFactor: 1, minInsyncReplicas: 1 };
}

/**
 * The Kafka brokers of a profile. One broker: a combined broker+controller node on 19092 (controller 19093), as
 * before. Three: broker-only nodes 1..3 on KAFKA_CLUSTER_PORT+i (19192..19194), whose metadata quorum is the three
 * controllers of kafkaControllers; each with its own data, config and log directories.
 */
function kafkaNodes(brokers, kafkaRoot) {
  if (brokers === 1) {
    return [
      {
        id: 1,
        name: 'kafka',
        roles: 'broker,controller',
        port: intEnv('KAFKA_PORT', 19092),
        controllerPort: intEnv('KAFKA_CONTROLLER_PORT', 19093),
        dataDir: path.join(kafkaRoot, 'data'),
        confDir: path.join(kafkaRoot, 'conf'),
        logsDir: path.join(kafkaRoot, 'logs'),
        pidFile: path.join(kafkaRoot, 'kafka.pid'),
        stateFile: path.join(kafkaRoot, 'formatted.json'),
      },
    ];
  }
  const port = intEnv('KAFKA_CLUSTER_PORT', 19192);
  return Array.from({ length: brokers }, (_, i) => {
    // broker-N, not node-N: the combined nodes of earlier versions kept their data in node-N (left alone).
    const dir = path.join(kafkaRoot, `broker-${i + 1}`);
    return {
      id: i + 1,
      name: `kafka-${i + 1}`,
      roles: 'broker',
      port: port + i,
      controllerPort: undefined,
      dataDir: path.join(dir, 'data'),
      confDir: path.join(dir, 'conf'),
      logsDir: path.join(dir, 'logs'),
      pidFile: path.join(dir, 'kafka.pid'),
      stateFile: path.join(dir, 'formatted.json'),
    };
  });
}

/**
 * The cluster profile's KRaft controllers, apart from the brokers: three controller-only nodes (ids 101..103) on
 * KAFKA_CLUSTER_CONTROLLER_PORT+i (19292..19294), a static quorum of three voters. Separate, because a quorum on
 * the brokers themselves goes with them: with two of three combined nodes lost, no controller is left to take the
 * dead brokers out of the ISR, so the surviving leader cannot tell that one copy is left and an acks=all write
 * times out instead of being refused with NOT_ENOUGH_REPLICAS. One broker has no controllers of its own.
 */
function kafkaControllers(brokers, kafkaRoot) {
  if (brokers === 1) return [];
  const controllerPort = intEnv('KAFKA_CLUSTER_CONTROLLER_PORT', 19292);
  return Array.from({ length: 3 }, (_, i) => {
    const dir = path.join(kafkaRoot, `controller-${i + 1}`);
    return {
      id: 101 + i,
      name: `controller-${i + 1}`,
      roles: 'controller',
      port: undefined,
      controllerPort: controllerPort + i,
      dataDir: path.join(dir, 'data'),
      confDir: path.join(dir, 'conf'),
      logsDir: path.join(dir, 'logs'),
      pidFile: path.join(dir, 'kafka.pid'),
      stateFile: path.join(dir, 'formatted.json'),
    };
  });
}

/**
 * Reads the configuration from the environment (call it again after changing process.env).
 * SHOP_KAFKA_BROKERS=3 selects the cluster profile: its own directory ($SHOP_HOME/cluster), its own ports
 * (Kafka 19192-19194, PostgreSQL 55532, Connect 18183) and its own lock, so it runs beside the single-broker
 * profile without touching it; only the jar caches ($SHOP_HOME/kafka/jars, $SHOP_HOME/connect) are shared.
 */
export function loadConfig() {
  const cacheHome = path.resolve(process.env.SHOP_HOME || path.join(os.homedir(), '.cache', 'event-driven-shop'));
  const brokers = brokerCountFromEnv();
  const cluster = brokers > 1;
  const home = cluster ? path.join(cacheHome, 'cluster') : cacheHome;
  const kafkaRoot = path.join(home, 'kafka');
  const pgRoot = path.join(home, 'postgres');
  const connectRoot = path.join(home, 'connect');
  const kafkaCache = path.join(cacheHome, 'kafka');
  const connectCache = path.join(cacheHome, 'connect');
  const nodes = kafkaNodes(brokers, kafkaRoot);
  const controllers = kafkaControllers(brokers, kafkaRoot);
  return {
    home,
    cacheHome,
    profile: cluster ? 'cluster' : 'single',
    infraFile: path.join(home, 'infra.json'),
    lockDir: path.join(home, '.lock'),
    kafka: {
      host: '127.0.0.1',
      brokers,
      nodes,
      controllers,
      controllerHeap: process.env.KAFKA_CONTROLLER_HEAP_OPTS || '-Xms64m -Xmx256m',
      replication: replicationFor(brokers),
      // The first node's ports and directories (the single broker's, as before).
      port: nodes[0].port,
      controllerPort: nodes[0].controllerPort,
      dataDir: nodes[0].dataDir,
      confDir: nodes[0].confDir,
      logsDir: nodes[0].logsDir,
      pidFile: nodes[0].pidFile,
      // Three JVMs on a laptop: a smaller heap each.
      heap: process.env.KAFKA_HEAP_OPTS || (cluster ? '-Xms128m -Xmx384m' : '-Xms256m -Xmx512m'),
      pom: path.join(REPO_ROOT, 'infra', 'kafka', 'pom.xml'),
      root: kafkaRoot,
      jarsDir: path.join(kafkaCache, 'jars'),
      jarsHashFile: path.join(kafkaCache, 'jars.sha256'),
      clusterFile: path.join(kafkaRoot, 'cluster.json'),
      // SASL principals (KAFKA_PRINCIPALS); their passwords in principalsFile (mode 600, made on first start).
      principals: KAFKA_PRINCIPALS,
      principalsFile: path.join(kafkaRoot, 'principals.json'),
      startTimeoutMs: 90_000,
      stopTimeoutMs: 30_000,
    },
    postgres: {
      host: '127.0.0.1',
      port: intEnv('PG_PORT', cluster ? 55532 : 55432),
      user: 'postgres',
      password: 'postgres',
      root: pgRoot,
      // May be moved out of SHOP_HOME when running as root (see postgres.mjs: resolveDataDir).
      defaultDataDir: path.join(pgRoot, 'data'),
      dataDirOverride: process.env.PG_DATA_DIR ? path.resolve(process.env.PG_DATA_DIR) : undefined,
      logsDir: path.join(pgRoot, 'logs'),
      pidFile: path.join(pgRoot, 'postgres.pid'),
      // The passwords of the per-service roles (made at random on first start; mode 600).
      rolesFile: path.join(pgRoot, 'roles.json'),
      locationFile: path.join(pgRoot, 'data-location'),
      fsync: process.env.PG_FSYNC === 'off' ? 'off' : 'on',
      startTimeoutMs: 60_000,
      stopTimeoutMs: 30_000,
      databases: Object.freeze([...SERVICE_DATABASES, WAREHOUSE_DATABASE]),
    },
    connect: {
      host: '127.0.0.1',
      port: intEnv('CONNECT_PORT', cluster ? 18183 : 18083),
      heap: process.env.CONNECT_HEAP_OPTS || '-Xms128m -Xmx512m',
      // One worker group per SHOP_HOME; the internal topics are compacted and created by the worker.
      groupId: cluster ? 'shop-connect-cluster' : 'shop-connect',
      // Its Kafka principal on the SASL listener (one of kafka.principals): the users CDC writer.
      principal: 'connect',
      configTopic: '_connect-configs',
      offsetTopic: '_connect-offsets',
      statusTopic: '_connect-status',
      pom: path.join(REPO_ROOT, 'infra', 'connect', 'pom.xml'),
      root: connectRoot,
      jarsDir: path.join(connectCache, 'jars'),
      // plugin.path: every subdirectory is one plugin, loaded by its own class loader.
      pluginsDir: path.join(connectCache, 'plugins'),
      jarsHashFile: path.join(connectCache, 'jars.sha256'),
      confDir: path.join(connectRoot, 'conf'),
      logsDir: path.join(connectRoot, 'logs'),
      pidFile: path.join(connectRoot, 'connect.pid'),
      startTimeoutMs: 120_000,
      stopTimeoutMs: 30_000,
    },
  };
}

/** The URL of a database, as the superuser, or as `credentials` (a service's own role). */
export function postgresUrl(pg, database = 'postgres', credentials = { user: pg.user, password: pg.password }) {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@${pg.host}:${pg.port}/${database}`;
}
