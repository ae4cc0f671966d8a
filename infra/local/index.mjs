// Programmatic API of the local infrastructure (used by cli.mjs and by the jest global setup).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, loadConfig, postgresUrl } from './config.mjs';
import { connectHealthy, connectPid, connectUrl, installConnect, startConnect, stopConnect } from './connect.mjs';
import {
  bootstrapServers,
  installKafka,
  kafkaControllerHealthy,
  kafkaHealthy,
  kafkaNodeHealthy,
  kafkaNodePid,
  kafkaPasswords,
  kafkaPid,
  startKafka,
  stopKafka,
  stopKafkaControllers,
} from './kafka.mjs';
import {
  knownDataDir,
  postgresHealthy,
  postgresPid,
  startPostgres,
  stopPostgres,
  createServiceDatabases,
  servicePasswords,
} from './postgres.mjs';
import { InfraError, formatMs, log, pollUntil, tail, withLock, writeJson } from './util.mjs';

export { InfraError, loadConfig };

export const COMPONENTS = Object.freeze(['kafka', 'postgres', 'connect']);

/**
 * The components of the configured profile: the cluster profile adds one per Kafka broker (kafka-1, kafka-2,
 * kafka-3) and per KRaft controller (controller-1, controller-2, controller-3).
 */
export function componentNames(cfg = loadConfig()) {
  return cfg.kafka.brokers === 1 ? [...COMPONENTS] : [...COMPONENTS, ...kafkaProcesses(cfg).map((n) => n.name)];
}

/** Every Kafka JVM of the profile: the brokers, and the cluster profile's KRaft controllers. */
const kafkaProcesses = (cfg) => [...cfg.kafka.nodes, ...cfg.kafka.controllers];

/** What a component needs running first (ensure starts it too). */
const DEPENDS_ON = Object.freeze({ connect: ['kafka'] });

/** Connection facts, as written to $SHOP_HOME/infra.json. */
export function connectionInfo(cfg = loadConfig()) {
  const p = cfg.postgres;
  const passwords = servicePasswords(cfg);
  return {
    profile: cfg.profile,
    kafkaBrokers: bootstrapServers(cfg),
    // What topics need on these brokers (KAFKA_REPLICATION_FACTOR / KAFKA_MIN_INSYNC_REPLICAS for the services).
    kafkaReplication: { ...cfg.kafka.replication },
    postgres: { host: p.host, port: p.port, user: p.user, password: p.password },
    // The superuser: for the infra scripts and the tests that create databases, never for a service.
    postgresUrl: postgresUrl(p),
    databases: [...p.databases],
    // Each database as its own role (what a service's DATABASE_URL is: npm start uses these).
    databaseUrls: Object.fromEntries(p.databases.map((db) => [db, postgresUrl(p, db, { user: db, password: passwords[db] })])),
    connectUrl: connectUrl(cfg),
    // Every listener of kafkaBrokers asks its clients for SASL PLAIN (issue #13): each principal's credentials.
    kafkaSasl: { mechanism: 'plain', passwords: kafkaPasswords(cfg) },
  };
}

/**
 * The environment of a process that uses this infra as its administrator (a test run, a benchmark, CI): KAFKA_BROKERS
 * and the admin principal (KAFKA_SASL_*, which every client reads with kafkaSecurityFromEnv); DATABASE_URL, the
 * superuser; and on the cluster profile the replication its topics need, unless `given` sets it.
 */
export function adminEnv(info = connectionInfo(), given = {}) {
  const sasl = info.kafkaSasl;
  return {
    KAFKA_BROKERS: info.kafkaBrokers.join(','),
    KAFKA_SASL_MECHANISM: sasl.mechanism,
    KAFKA_SASL_USERNAME: 'admin',
    KAFKA_SASL_PASSWORD: sasl.passwords.admin,
    DATABASE_URL: info.postgresUrl,
    ...(info.profile === 'cluster'
      ? {
          KAFKA_REPLICATION_FACTOR: given.KAFKA_REPLICATION_FACTOR || String(info.kafkaReplication.replicationFactor),
          KAFKA_MIN_INSYNC_REPLICAS: given.KAFKA_MIN_INSYNC_REPLICAS || String(info.kafkaReplication.minInsyncReplicas),
        }
      : {}),
  };
}

/**
 * The environment of `service` (of the services manifest) started by hand against this infra: KAFKA_BROKERS and its
 * own principal (held to its ACLs: `npm run kafka:acls -- grant` grants them); DATABASE_URL as its own role, owner of
 * its database only.
 */
export function serviceEnv(service, info = connectionInfo()) {
  const entry = SERVICES.find((s) => s.name === service);
  if (!entry) throw new InfraError(`no service ${service} in the manifest (${SERVICES.map((s) => s.name).join(', ')})`);
  const sasl = info.kafkaSasl;
  return {
    ...(entry.kafka ? { KAFKA_BROKERS: info.kafkaBrokers.join(',') } : {}),
    ...(entry.kafka
      ? { KAFKA_SASL_MECHANISM: sasl.mechanism, KAFKA_SASL_USERNAME: service, KAFKA_SASL_PASSWORD: sasl.passwords[service] }
      : {}),
    DATABASE_URL: info.databaseUrls[entry.database],
  };
}

/** One Kafka node of the cluster profile as a component of its own (`up kafka-2`, `kill kafka-2`, `kill controller-1`). */
function kafkaNodeComponent(node) {
  const controller = node.roles === 'controller';
  return {
    pid: () => kafkaNodePid(node),
    healthy: (cfg, timeoutMs) => (controller ? kafkaControllerHealthy : kafkaNodeHealthy)(cfg, node, timeoutMs),
    // startKafka starts every controller that does not run, then the brokers given.
    start: (cfg) => startKafka(cfg, controller ? [] : [node]),
    stop: (cfg) => (controller ? stopKafkaControllers(cfg, [node]) : stopKafka(cfg, [node])),
    logFile: () => path.join(node.logsDir, 'server.log'),
    port: () => node.port ?? node.controllerPort,
    timeout: (cfg) => cfg.kafka.startTimeoutMs,
  };
}

const components = {
  kafka: {
    pid: kafkaPid,
    healthy: kafkaHealthy,
    start: (cfg) => startKafka(cfg),
    stop: (cfg) => stopKafka(cfg),
    logFile: (cfg) => path.join(cfg.kafka.logsDir, 'server.log'),
    port: (cfg) => cfg.kafka.port,
    timeout: (cfg) => cfg.kafka.startTimeoutMs,
  },
  postgres: {
    pid: postgresPid,
    healthy: postgresHealthy,
    start: startPostgres,
    stop: stopPostgres,
    logFile: (cfg) => path.join(cfg.postgres.logsDir, 'postgres.log'),
    port: (cfg) => cfg.postgres.port,
    timeout: (cfg) => cfg.postgres.startTimeoutMs,
  },
  connect: {
    pid: connectPid,
    healthy: connectHealthy,
    start: startConnect,
    stop: stopConnect,
    logFile: (cfg) => path.join(cfg.connect.logsDir, 'connect.log'),
    port: (cfg) => cfg.connect.port,
    timeout: (cfg) => cfg.connect.startTimeoutMs,
  },
};

function componentOf(cfg, name) {
  const node = cfg.kafka.brokers === 1 ? undefined : kafkaProcesses(cfg).find((n) => n.name === name);
  return node ? kafkaNodeComponent(node) : components[name];
}

function selected(only, cfg = loadConfig()) {
  const known = componentNames(cfg);
  const names = only && only.length > 0 ? only : COMPONENTS;
  for (const name of names) {
    if (!known.includes(name)) throw new InfraError(`unknown component "${name}" (known: ${known.join(', ')})`);
  }
  return names;
}

/** A Kafka node (kafka-N) counts as kafka for the dependencies. */
const kindOf = (name) => (name.startsWith('kafka-') ? 'kafka' : name);

/** Makes one component run; returns true if this call started it. */
async function ensureOne(cfg, name) {
  const c = componentOf(cfg, name);
  // The whole cluster with a node down: start the missing nodes (startKafka starts only those).
  const someNodeDown = name === 'kafka' && kafkaProcesses(cfg).some((n) => kafkaNodePid(n) === undefined);
  const pid = someNodeDown ? undefined : c.pid(cfg);
  if (pid !== undefined) {
    if (await c.healthy(cfg)) {
      log(`${name} already running (pid ${pid}, port ${c.port(cfg)})`);
      if (name === 'postgres') await createServiceDatabases(cfg);
      return false;
    }
    log(`${name} runs (pid ${pid}) but does not answer yet: waiting`);
    const ok = await pollUntil(() => c.healthy(cfg, 2000), { timeoutMs: c.timeout(cfg), intervalMs: 500 });
    if (!ok) {
      throw new InfraError(
        `${name} (pid ${pid}) runs but does not answer on port ${c.port(cfg)}; try \`node infra/local/cli.mjs down\`.\n` +
          `Last lines of ${c.logFile(cfg)}:\n${tail(c.logFile(cfg))}`,
      );
    }
    return false;
  }
  await c.start(cfg);
  return true;
}

/**
 * Starts what is not running (idempotent; fast when everything is up) and writes infra.json.
 * `only` names components (default: all); a component's dependencies are started too (connect → kafka).
 * Returns which components this call started, so a caller can stop only those.
 */
export async function ensure({ only } = {}) {
  const cfg = loadConfig();
  const asked = selected(only, cfg);
  // What was asked, plus the dependencies of it that were not (kafka for connect, unless a node of it was asked).
  const names = [
    ...COMPONENTS.filter(
      (name) => asked.includes(name) || asked.some((a) => (DEPENDS_ON[a] ?? []).includes(name) && !asked.some((b) => kindOf(b) === name)),
    ),
    ...asked.filter((name) => !COMPONENTS.includes(name)),
  ];
  const t0 = Date.now();
  const started = await withLock(cfg.lockDir, async () => {
    // Servers start in parallel, each after what it depends on; a failure of one still lets the
    // others finish starting.
    const running = new Map();
    const ensureAfterDeps = (name) => {
      if (!running.has(name)) {
        const deps = (DEPENDS_ON[name] ?? []).flatMap((d) => names.filter((n) => kindOf(n) === d));
        running.set(
          name,
          Promise.all(deps.map(ensureAfterDeps)).then(() => ensureOne(cfg, name)),
        );
      }
      return running.get(name);
    };
    const results = await Promise.allSettled(names.map(ensureAfterDeps));
    const errors = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    const out = Object.fromEntries([...COMPONENTS, ...names].map((name) => [name, false]));
    names.forEach((name, i) => {
      out[name] = results[i].status === 'fulfilled' && results[i].value === true;
    });
    if (errors.length > 0) {
      const error = errors.length === 1 ? errors[0] : new InfraError(errors.map((e) => e.message).join('\n\n'));
      error.started = out;
      throw error;
    }
    await writeJson(cfg.infraFile, connectionInfo(cfg));
    return out;
  });
  log(`infra ready in ${formatMs(Date.now() - t0)} (${cfg.infraFile})`);
  return { started, info: connectionInfo(cfg) };
}

/** Fetches the jars of the JVM components (default: kafka and connect). */
export async function install({ force = false, only } = {}) {
  const cfg = loadConfig();
  const names = selected(only, cfg);
  return withLock(cfg.lockDir, async () => {
    const out = {};
    if (names.includes('kafka')) out.kafka = await installKafka(cfg, { force });
    if (names.includes('connect')) out.connect = await installConnect(cfg, { force });
    return out;
  });
}

/** Stops the given components (default: all). Returns which ones were running. */
export async function down({ only } = {}) {
  const cfg = loadConfig();
  const names = selected(only, cfg);
  return withLock(cfg.lockDir, async () => {
    // The Connect worker first: it commits its offsets to the broker while it stops.
    const result = {};
    if (names.includes('connect')) result.connect = await components.connect.stop(cfg);
    const rest = names.filter((name) => name !== 'connect');
    const stopped = await Promise.all(rest.map((name) => componentOf(cfg, name).stop(cfg)));
    rest.forEach((name, i) => {
      result[name] = stopped[i];
    });
    return result;
  });
}

/**
 * Crashes the given components the hard way, for chaos tests: SIGKILL to each one's whole process group
 * (PostgreSQL's backends with their postmaster), no shutdown of any kind. `ensure` starts them again
 * (PostgreSQL runs its crash recovery, Kafka its log recovery). Returns the pids killed.
 */
export async function kill({ only } = {}) {
  const cfg = loadConfig();
  const result = {};
  const names = selected(only, cfg);
  // `kafka` on the cluster profile: every node.
  const targets = names.flatMap((name) =>
    name === 'kafka' && cfg.kafka.brokers > 1
      ? kafkaProcesses(cfg).map((n) => [n.name, kafkaNodePid(n)])
      : [[name, componentOf(cfg, name).pid(cfg)]],
  );
  for (const [name, pid] of targets) {
    if (pid === undefined) continue;
    try {
      process.kill(-pid, 'SIGKILL'); // detached at start: the group id is the pid
    } catch {
      process.kill(pid, 'SIGKILL');
    }
    // Until the pid is gone for good, not just a zombie: PostgreSQL refuses to start while the pid in its
    // postmaster.pid still answers kill(0), and a zombie does.
    const gone = await pollUntil(
      async () => {
        try {
          process.kill(pid, 0);
          return undefined;
        } catch (err) {
          return err.code === 'ESRCH' ? true : undefined;
        }
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    if (!gone) throw new InfraError(`${name} (pid ${pid}) still exists 15 s after SIGKILL`);
    result[name] = pid;
  }
  return result;
}

export async function status() {
  const cfg = loadConfig();
  const entries = await Promise.all(
    componentNames(cfg).map(async (name) => {
      const c = componentOf(cfg, name);
      const pid = c.pid(cfg);
      const healthy = pid !== undefined && (await c.healthy(cfg));
      return [name, { running: pid !== undefined, pid: pid ?? null, port: c.port(cfg), healthy }];
    }),
  );
  const result = Object.fromEntries(entries);
  result.kafka.jarsDir = cfg.kafka.jarsDir;
  result.postgres.dataDir = knownDataDir(cfg);
  result.connect.url = connectUrl(cfg);
  return { ok: entries.every(([, s]) => s.healthy), components: result, info: connectionInfo(cfg), home: cfg.home };
}

/** down + delete the data directories (keeps the jar cache). */
export async function reset() {
  await down();
  const cfg = loadConfig();
  await withLock(cfg.lockDir, async () => {
    const dirs = [
      ...kafkaProcesses(cfg).flatMap((n) => [n.dataDir, n.stateFile, n.logsDir]),
      ...(cfg.kafka.brokers > 1 ? [cfg.kafka.clusterFile] : []),
      cfg.connect.logsDir,
      knownDataDir(cfg),
      cfg.postgres.logsDir,
      cfg.infraFile,
    ];
    for (const dir of dirs) {
      if (fs.existsSync(dir)) {
        log(`deleting ${dir}`);
        await fsp.rm(dir, { recursive: true, force: true });
      }
    }
    fs.rmSync(cfg.postgres.locationFile, { force: true });
  });
}
