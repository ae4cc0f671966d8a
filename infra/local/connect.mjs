// A single Kafka Connect worker in distributed mode (jars fetched with Maven), with two isolated plugins: the
// Debezium PostgreSQL connector (CDC source) and the Debezium JDBC sink (the warehouse export). It stores connector configs, source offsets and statuses in three
// compacted topics of the local broker, so registered connectors survive a restart of the worker.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { checkJava, jvmArgs, log4j2Xml, mvn, pomHash as javaPomHash } from './java.mjs';
import { bootstrapServers, grantAcls, javaSaslProperties } from './kafka.mjs';
import { InfraError, formatMs, livePid, log, mkdirp, pollUntil, portOpen, stopProcess, tail, withTimeout } from './util.mjs';

/** Bump when the install recipe (not the pom) changes, so caches are refreshed. */
const RECIPE_VERSION = '3';
const PROCESS_MARKER = 'org.apache.kafka.connect.cli.ConnectDistributed';
const DEBEZIUM_PLUGIN = 'debezium-connector-postgres';
const JDBC_SINK_PLUGIN = 'debezium-connector-jdbc';
/** Plugin directory → the pom profile that fills it. */
const PLUGINS = Object.freeze({ [DEBEZIUM_PLUGIN]: 'debezium', [JDBC_SINK_PLUGIN]: 'jdbc-sink' });
/**
 * Left out of the plugin directory because the worker already has them: the Kafka jars (the Connect API
 * must come from the worker), Jackson (Debezium's converters call the worker's JsonConverter with
 * Jackson types; a second Jackson in the plugin's class loader makes those calls fail with
 * NoSuchMethodException), logging and the compression codecs (native libraries load only once).
 */
const PROVIDED_BY_WORKER = [
  'org.apache.kafka',
  'com.fasterxml.jackson.core',
  'org.slf4j',
  'org.lz4',
  'at.yawk.lz4',
  'org.xerial.snappy',
  'com.github.luben',
];

function pomHash(cfg) {
  return javaPomHash(cfg.connect.pom, RECIPE_VERSION);
}

export function connectJarsInstalled(cfg) {
  try {
    const installed = fs.readFileSync(cfg.connect.jarsHashFile, 'utf8').trim();
    return (
      installed === pomHash(cfg) &&
      fs.readdirSync(cfg.connect.jarsDir).some((f) => f.startsWith('connect-runtime-')) &&
      Object.keys(PLUGINS).every((plugin) =>
        fs.readdirSync(path.join(cfg.connect.pluginsDir, plugin)).some((f) => f.startsWith(`${plugin}-`)),
      )
    );
  } catch {
    return false;
  }
}

/**
 * Copies the worker's jars and the Debezium plugins (pinned by infra/connect/pom.xml) into the cache;
 * skipped if the pom is unchanged. A plugin directory holds only what the worker lacks (Debezium, the
 * JDBC driver, protobuf, …): see PROVIDED_BY_WORKER.
 */
export async function installConnect(cfg, { force = false } = {}) {
  const c = cfg.connect;
  if (!force && connectJarsInstalled(cfg)) {
    log(`connect jars up to date in ${path.dirname(c.jarsDir)}`);
    return false;
  }
  checkJava();
  const started = Date.now();
  log(`fetching Kafka Connect + Debezium source and sink jars with Maven (${path.relative(process.cwd(), c.pom) || c.pom}) ...`);
  await mkdirp(c.root);
  const tmp = path.join(c.root, `.install-${process.pid}`);
  await fsp.rm(tmp, { recursive: true, force: true });
  try {
    const copy = (profile, outputDirectory, extra = []) =>
      mvn([
        '-f',
        c.pom,
        '-P',
        profile,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${outputDirectory}`,
        '-DincludeScope=runtime',
        ...extra,
      ]);
    const excludeProvided = `-DexcludeGroupIds=${PROVIDED_BY_WORKER.join(',')}`;
    await Promise.all([
      copy('worker', path.join(tmp, 'jars')),
      ...Object.entries(PLUGINS).map(([plugin, profile]) => copy(profile, path.join(tmp, 'plugins', plugin), [excludeProvided])),
    ]);
    // The sink profile's single jars (artifactItems: debezium-scripting, whose parent pom Maven Central lacks).
    await mvn([
      '-f',
      c.pom,
      '-P',
      PLUGINS[JDBC_SINK_PLUGIN],
      'dependency:copy',
      `-DoutputDirectory=${path.join(tmp, 'plugins', JDBC_SINK_PLUGIN)}`,
    ]);
    for (const dir of [c.jarsDir, c.pluginsDir]) {
      await fsp.rm(dir, { recursive: true, force: true });
      await fsp.rename(path.join(tmp, path.basename(dir)), dir);
    }
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(c.jarsHashFile, `${pomHash(cfg)}\n`);
  const count =
    fs.readdirSync(c.jarsDir).length +
    Object.keys(PLUGINS).reduce((sum, plugin) => sum + fs.readdirSync(path.join(c.pluginsDir, plugin)).length, 0);
  log(`connect jars installed (${count} jars) in ${formatMs(Date.now() - started)}`);
  return true;
}

function log4j2Config(logsDir) {
  return log4j2Xml({
    generator: 'infra/local/connect.mjs',
    logsDir,
    fileName: 'connect.log',
    filePattern: '[%d] %p %X{connector.context}%m (%c)%n',
    rootLevel: 'INFO',
    loggers: { 'org.apache.kafka.clients': 'WARN', 'org.apache.kafka.common.config': 'WARN', 'org.reflections': 'ERROR' },
  });
}

/**
 * Where the worker finds the brokers and who it signs in as (its principal): the worker's own clients read the plain
 * keys, a connector's producer, consumer and admin only the `producer.`, `consumer.` and `admin.` ones.
 */
function brokerProperties(cfg) {
  const security = Object.entries(javaSaslProperties(cfg, cfg.connect.principal));
  return [
    `bootstrap.servers=${bootstrapServers(cfg).join(',')}`,
    ...['', 'producer.', 'consumer.', 'admin.'].flatMap((prefix) => security.map(([key, value]) => `${prefix}${key}=${value}`)),
    '',
  ].join('\n');
}

/**
 * The ACLs of the worker's principal for what the worker itself uses: its three topics, its group, and the consumer
 * groups of its sink connectors (`connect-<connector>`). A connector's topics are the deployment's ACLs (cdcAcls for
 * the users CDC writer, warehouseSinkAcls for the sink), granted with them.
 */
/** The worker's ACLs (libs/kafka connectWorkerAcls has the same: tools/deploy-check local-infra.spec compares them). */
export function workerAcls(cfg) {
  const c = cfg.connect;
  const principal = `User:${c.principal}`;
  return [
    ...[c.configTopic, c.offsetTopic, c.statusTopic].map((name) => ({
      resource: 'topic',
      pattern: 'literal',
      name,
      principal,
      operations: ['read', 'write', 'create', 'describe', 'describe-configs'],
    })),
    { resource: 'group', pattern: 'literal', name: c.groupId, principal, operations: ['read'] },
    // Delete: resetting a sink connector's offsets (DELETE /connectors/<name>/offsets) deletes its group's.
    { resource: 'group', pattern: 'prefixed', name: 'connect-', principal, operations: ['read', 'delete'] },
  ];
}

function workerProperties(cfg) {
  const c = cfg.connect;
  return `# Generated by infra/local/connect.mjs on every start; edit the script, not this file.
${brokerProperties(cfg)}group.id=${c.groupId}

# Internal topics (the worker creates them compacted), replicated as the profile's topics are
# (${cfg.kafka.brokers} broker${cfg.kafka.brokers === 1 ? '' : 's'}): losing them would lose the connectors and Debezium's source offsets.
config.storage.topic=${c.configTopic}
offset.storage.topic=${c.offsetTopic}
status.storage.topic=${c.statusTopic}
config.storage.replication.factor=${cfg.kafka.replication.replicationFactor}
offset.storage.replication.factor=${cfg.kafka.replication.replicationFactor}
status.storage.replication.factor=${cfg.kafka.replication.replicationFactor}
offset.storage.partitions=5
status.storage.partitions=1

# Default converters (a connector may override them): JSON without schemas.
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false

listeners=http://${c.host}:${c.port}
rest.advertised.host.name=${c.host}
rest.advertised.port=${c.port}

# Every subdirectory is one plugin with its own class loader; plugins declare themselves in
# META-INF/services, so no classpath scan is needed.
plugin.path=${c.pluginsDir}
plugin.discovery=service_load

# Local single worker: commit source offsets often, and reassign the tasks of a restarted worker at
# once instead of after the default 5 minutes.
offset.flush.interval.ms=1000
scheduled.rebalance.max.delay.ms=0
`;
}

export function connectPid(cfg) {
  return livePid(cfg.connect.pidFile, PROCESS_MARKER);
}

export function connectUrl(cfg) {
  return `http://${cfg.connect.host}:${cfg.connect.port}`;
}

/**
 * The worker's own health check (GET /health, KIP-1017): 200 once it has joined its group and read
 * the config topic, so connectors can be created. Resolves true/false, never throws, never hangs.
 */
export async function connectHealthy(cfg, timeoutMs = 4000) {
  try {
    const res = await withTimeout(
      fetch(`${connectUrl(cfg)}/health`, { signal: AbortSignal.timeout(timeoutMs) }),
      timeoutMs,
      'connect probe',
    );
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Starts the worker detached and waits until its REST API says it is ready. Needs a running broker. */
export async function startConnect(cfg) {
  const c = cfg.connect;
  const java = checkJava();
  if (await portOpen(c.host, c.port)) {
    throw new InfraError(`port ${c.port} on ${c.host} is already in use by another process: stop it, or set CONNECT_PORT`);
  }
  const open = await Promise.all(cfg.kafka.nodes.map((n) => portOpen(cfg.kafka.host, n.port)));
  if (!open.some(Boolean)) {
    throw new InfraError(
      `connect needs the broker on ${bootstrapServers(cfg).join(',')}: start kafka first (\`node infra/local/cli.mjs up kafka\`)`,
    );
  }
  await installConnect(cfg);
  await Promise.all([mkdirp(c.confDir), mkdirp(c.logsDir)]);
  const propsFile = path.join(c.confDir, 'worker.properties');
  const logConfig = path.join(c.confDir, 'log4j2.xml');
  // Mode 600: the properties hold the worker's password.
  fs.writeFileSync(propsFile, workerProperties(cfg), { mode: 0o600 });
  fs.chmodSync(propsFile, 0o600);
  await grantAcls(cfg, workerAcls(cfg));
  fs.writeFileSync(logConfig, log4j2Config(c.logsDir));

  const started = Date.now();
  const outFile = path.join(c.logsDir, 'connect.out');
  const out = fs.openSync(outFile, 'a');
  let child;
  try {
    child = spawn(java, [...jvmArgs({ heap: c.heap, logConfig, logsDir: c.logsDir, jarsDir: c.jarsDir }), PROCESS_MARKER, propsFile], {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: c.root,
    });
  } finally {
    fs.closeSync(out);
  }
  const spawnError = await new Promise((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError) throw new InfraError(`could not start java: ${spawnError.message}`);
  child.unref();
  fs.writeFileSync(c.pidFile, `${child.pid}\n`);
  log(`connect starting (pid ${child.pid}, ${connectUrl(cfg)}, logs ${c.logsDir})`);

  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const healthy = await pollUntil(
    async () => {
      if (exited) return 'exited';
      return (await connectHealthy(cfg, 2000)) ? 'up' : undefined;
    },
    {
      timeoutMs: c.startTimeoutMs,
      intervalMs: 300,
      onWait: (n) => n % 30 === 0 && log(`  still waiting for connect (${formatMs(Date.now() - started)})`),
    },
  );
  if (healthy !== 'up') {
    const reason = healthy === 'exited' ? 'exited during start' : `did not answer within ${formatMs(c.startTimeoutMs)}`;
    if (!exited) await stopProcess(child.pid, { timeoutMs: 5000, name: 'connect' });
    fs.rmSync(c.pidFile, { force: true });
    throw new InfraError(
      `connect ${reason}. Last lines of ${path.join(c.logsDir, 'connect.log')}:\n${tail(path.join(c.logsDir, 'connect.log'))}\n` +
        `--- ${outFile}:\n${tail(outFile, 20)}`,
    );
  }
  log(`connect up on ${connectUrl(cfg)} in ${formatMs(Date.now() - started)}`);
  return child.pid;
}

export async function stopConnect(cfg) {
  const pid = connectPid(cfg);
  if (pid === undefined) {
    fs.rmSync(cfg.connect.pidFile, { force: true });
    log('connect is not running');
    return false;
  }
  const started = Date.now();
  log(`stopping connect (pid ${pid})`);
  await stopProcess(pid, { signal: 'SIGTERM', timeoutMs: cfg.connect.stopTimeoutMs, name: 'connect' });
  fs.rmSync(cfg.connect.pidFile, { force: true });
  log(`connect stopped in ${formatMs(Date.now() - started)}`);
  return true;
}
