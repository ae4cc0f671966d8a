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

/** Reads the configuration from the environment (call it again after changing process.env). */
export function loadConfig() {
  const home = path.resolve(process.env.SHOP_HOME || path.join(os.homedir(), '.cache', 'event-driven-shop'));
  const kafkaRoot = path.join(home, 'kafka');
  const pgRoot = path.join(home, 'postgres');
  const connectRoot = path.join(home, 'connect');
  return {
    home,
    infraFile: path.join(home, 'infra.json'),
    lockDir: path.join(home, '.lock'),
    kafka: {
      host: '127.0.0.1',
      port: intEnv('KAFKA_PORT', 19092),
      controllerPort: intEnv('KAFKA_CONTROLLER_PORT', 19093),
      heap: process.env.KAFKA_HEAP_OPTS || '-Xms256m -Xmx512m',
      pom: path.join(REPO_ROOT, 'infra', 'kafka', 'pom.xml'),
      root: kafkaRoot,
      jarsDir: path.join(kafkaRoot, 'jars'),
      jarsHashFile: path.join(kafkaRoot, 'jars.sha256'),
      dataDir: path.join(kafkaRoot, 'data'),
      confDir: path.join(kafkaRoot, 'conf'),
      logsDir: path.join(kafkaRoot, 'logs'),
      pidFile: path.join(kafkaRoot, 'kafka.pid'),
      startTimeoutMs: 90_000,
      stopTimeoutMs: 30_000,
    },
    postgres: {
      host: '127.0.0.1',
      port: intEnv('PG_PORT', 55432),
      user: 'postgres',
      password: 'postgres',
      root: pgRoot,
      // May be moved out of SHOP_HOME when running as root (see postgres.mjs: resolveDataDir).
      defaultDataDir: path.join(pgRoot, 'data'),
      dataDirOverride: process.env.PG_DATA_DIR ? path.resolve(process.env.PG_DATA_DIR) : undefined,
      logsDir: path.join(pgRoot, 'logs'),
      pidFile: path.join(pgRoot, 'postgres.pid'),
      locationFile: path.join(pgRoot, 'data-location'),
      fsync: process.env.PG_FSYNC === 'off' ? 'off' : 'on',
      startTimeoutMs: 60_000,
      stopTimeoutMs: 30_000,
      databases: Object.freeze([...SERVICE_DATABASES, WAREHOUSE_DATABASE]),
    },
    connect: {
      host: '127.0.0.1',
      port: intEnv('CONNECT_PORT', 18083),
      heap: process.env.CONNECT_HEAP_OPTS || '-Xms128m -Xmx512m',
      // One worker group per SHOP_HOME; the internal topics are compacted and created by the worker.
      groupId: 'shop-connect',
      configTopic: '_connect-configs',
      offsetTopic: '_connect-offsets',
      statusTopic: '_connect-status',
      pom: path.join(REPO_ROOT, 'infra', 'connect', 'pom.xml'),
      root: connectRoot,
      jarsDir: path.join(connectRoot, 'jars'),
      // plugin.path: every subdirectory is one plugin, loaded by its own class loader.
      pluginsDir: path.join(connectRoot, 'plugins'),
      jarsHashFile: path.join(connectRoot, 'jars.sha256'),
      confDir: path.join(connectRoot, 'conf'),
      logsDir: path.join(connectRoot, 'logs'),
      pidFile: path.join(connectRoot, 'connect.pid'),
      startTimeoutMs: 120_000,
      stopTimeoutMs: 30_000,
    },
  };
}

export function postgresUrl(pg, database = 'postgres') {
  const user = encodeURIComponent(pg.user);
  const password = encodeURIComponent(pg.password);
  return `postgresql://${user}:${password}@${pg.host}:${pg.port}/${database}`;
}
