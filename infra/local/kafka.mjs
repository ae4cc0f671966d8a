// Apache Kafka (KRaft) from jars fetched with Maven: one broker+controller node, or (SHOP_KAFKA_BROKERS=3) a
// cluster of three combined broker+controller nodes with a three-voter quorum.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { InfraError, formatMs, livePid, log, mkdirp, passwordsIn, pollUntil, portOpen, stopProcess, tail, withTimeout } from './util.mjs';
import { checkJava, jvmArgs, log4j2Xml, mvn, pomHash as javaPomHash } from './java.mjs';

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes, logLevel } = kafkajs;

/** Bump when the install recipe (not the pom) changes, so caches are refreshed. */
const RECIPE_VERSION = '2';
const PROCESS_MARKER = 'kafka.Kafka';

function pomHash(cfg) {
  return javaPomHash(cfg.kafka.pom, RECIPE_VERSION);
}

export function jarsInstalled(cfg) {
  try {
    const installed = fs.readFileSync(cfg.kafka.jarsHashFile, 'utf8').trim();
    return installed === pomHash(cfg) && fs.readdirSync(cfg.kafka.jarsDir).some((f) => f.startsWith('kafka_2.13-'));
  } catch {
    return false;
  }
}

/** Copies the broker's jars (pinned by infra/kafka/pom.xml) into the cache; skipped if the pom is unchanged. */
export async function installKafka(cfg, { force = false } = {}) {
  if (!force && jarsInstalled(cfg)) {
    log(`kafka jars up to date in ${cfg.kafka.jarsDir}`);
    return false;
  }
  checkJava();
  const started = Date.now();
  log(`fetching Kafka jars with Maven (${path.relative(process.cwd(), cfg.kafka.pom) || cfg.kafka.pom}) ...`);
  await mkdirp(cfg.kafka.root);
  const tmp = `${cfg.kafka.jarsDir}.tmp-${process.pid}`;
  await fsp.rm(tmp, { recursive: true, force: true });
  try {
    await mvn(['-f', cfg.kafka.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`, '-DincludeScope=runtime']);
    await fsp.rm(cfg.kafka.jarsDir, { recursive: true, force: true });
    await fsp.rename(tmp, cfg.kafka.jarsDir);
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(cfg.kafka.jarsHashFile, `${pomHash(cfg)}\n`);
  const count = fs.readdirSync(cfg.kafka.jarsDir).length;
  log(`kafka jars installed (${count} jars) in ${formatMs(Date.now() - started)}`);
  return true;
}

function log4j2Config(logsDir, fileName, rootLevel) {
  return log4j2Xml({
    generator: 'infra/local/kafka.mjs',
    logsDir,
    fileName,
    rootLevel,
    loggers: { 'kafka.request.logger': 'WARN', 'org.apache.kafka.clients': 'WARN' },
  });
}

/** host:port of every broker of the profile (the bootstrap list clients get). */
export function bootstrapServers(cfg) {
  return cfg.kafka.nodes.map((n) => `${cfg.kafka.host}:${n.port}`);
}

/** Every Kafka principal's password (made at random on first use; $SHOP_HOME/kafka/principals.json, mode 600). */
export function kafkaPasswords(cfg) {
  return passwordsIn(cfg.kafka.principalsFile, cfg.kafka.principals);
}

/** kafkajs' `sasl` option of the infra's own clients (probes, warm-up, grants): the admin principal. */
function adminSasl(cfg) {
  return { sasl: { mechanism: 'plain', username: 'admin', password: kafkaPasswords(cfg).admin } };
}

/**
 * A Java client's properties for `principal` on the SASL listener (Kafka Connect's worker and its clients). A
 * password may not hold a double quote: passwordsIn makes them base64url.
 */
export function javaSaslProperties(cfg, principal) {
  const password = kafkaPasswords(cfg)[principal];
  if (!password) throw new InfraError(`no Kafka principal ${principal} (principals: ${cfg.kafka.principals.join(', ')})`);
  return {
    'security.protocol': 'SASL_PLAINTEXT',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="${principal}" password="${password}";`,
  };
}

const ACL_OPERATIONS = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
  'describe-configs': AclOperationTypes.DESCRIBE_CONFIGS,
  delete: AclOperationTypes.DELETE,
};

/**
 * Grants ACLs on the SASL listener as the admin principal: the infra's own (Kafka Connect's worker), before the client
 * that needs them starts. `acls`: { resource: 'topic' | 'group', pattern: 'literal' | 'prefixed', name, principal,
 * operations }, allowed from any host. Granting an ACL that exists changes nothing.
 */
export async function grantAcls(cfg, acls) {
  const brokers = bootstrapServers(cfg);
  const kafka = new Kafka({
    clientId: 'shop-infra-acls',
    brokers,
    logLevel: logLevel.NOTHING,
    ...adminSasl(cfg),
    retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createAcls({
      acl: acls.flatMap((a) =>
        a.operations.map((operation) => ({
          resourceType: a.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
          resourceName: a.name,
          resourcePatternType: a.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
          principal: a.principal,
          host: '*',
          operation: ACL_OPERATIONS[operation],
          permissionType: AclPermissionTypes.ALLOW,
        })),
      ),
    });
  } catch (err) {
    throw new InfraError(`could not grant ACLs on ${brokers.join(',')} as admin: ${err.message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** `passwords` (kafkaPasswords): they go into the node's JAAS configuration (saslListeners). */
export function serverProperties(cfg, node, passwords) {
  const k = cfg.kafka;
  const { replicationFactor: rf, minInsyncReplicas: isr } = k.replication;
  const quorum =
    k.brokers === 1
      ? `controller.quorum.bootstrap.servers=${k.host}:${node.controllerPort}`
      : // The cluster's three controllers, apart from the brokers (see kafkaControllers in config.mjs): a static
        // quorum of three voters, which survives the loss of any one of them and of any number of brokers.
        `controller.quorum.voters=${k.controllers.map((c) => `${c.id}@${k.host}:${c.controllerPort}`).join(',')}`;
  const head = `# Generated by infra/local/kafka.mjs on every start; edit the script, not this file.
process.roles=${node.roles}
node.id=${node.id}
${quorum}
controller.listener.names=CONTROLLER
log.dirs=${node.dataDir}
`;
  // The defaults of topics created without their own settings. In KRaft the active controller resolves them (a
  // CreateTopics with replication factor -1 gets the controller's default.replication.factor, not the broker's: without
  // this a cluster's controllers made such topics with one copy) and decides leader elections, so every node has them.
  const topicDefaults = `num.partitions=1
default.replication.factor=${rf}
min.insync.replicas=${isr}
# A replica that was not in sync never becomes leader: that would drop acknowledged writes.
unclean.leader.election.enable=false
`;
  if (node.roles === 'controller') {
    return `${head}${saslListeners(k, node, passwords)}

${topicDefaults}`;
  }
  return `${head}${saslListeners(k, node, passwords)}
# Topics are created explicitly (by the services or the tests), never by a typo.
auto.create.topics.enable=false
# Replication follows the profile (${k.brokers} broker${k.brokers === 1 ? '' : 's'}): the defaults of topics created
# without their own settings, and the brokers' internal topics (consumer offsets, transactions, share groups).
${topicDefaults}offsets.topic.replication.factor=${rf}
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=${rf}
transaction.state.log.min.isr=${isr}
share.coordinator.state.topic.replication.factor=${rf}
share.coordinator.state.topic.min.isr=${isr}
group.initial.rebalance.delay.ms=0
delete.topic.enable=true

# Small segments so compaction of changelog topics is visible locally.
log.segment.bytes=16777216
log.retention.check.interval.ms=60000
log.cleaner.min.compaction.lag.ms=0
`;
}

/**
 * A node's listeners when every one asks for SASL PLAIN (issue #13), so no process on the machine gets in without a
 * principal's password: clients sign in on a broker's `port` as their principal (one per service, Connect, admin)
 * and are held to their ACLs by KRaft's StandardAuthorizer (on the controllers too: they store the ACLs and check the
 * brokers' own requests); nodes sign in to each other and to the controllers as `broker`. Only broker and admin are
 * super users: a principal without ACLs may do nothing, and a client without credentials is disconnected. PLAIN
 * sends the password in clear: fine on loopback; a deployment uses SCRAM or PLAIN over TLS.
 */
function saslListeners(k, node, passwords) {
  if (!passwords) throw new Error("serverProperties: a node with SASL listeners needs the principals' passwords");
  const users = k.principals.map((name) => `user_${name}="${passwords[name]}"`).join(' ');
  // username/password: what the node itself sends as a client of that listener (to a controller, to a broker).
  const jaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="${passwords.broker}" ${users};`;
  const controller = `listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=${jaas}
sasl.mechanism.controller.protocol=PLAIN`;
  const authorizer = `# Who may do what: ACLs, derived from the catalogue (libs/kafka service-acls.ts); the nodes and the admin may do all.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:broker;User:admin
allow.everyone.if.no.acl.found=false`;
  if (node.roles === 'controller') {
    return `listeners=CONTROLLER://${k.host}:${node.controllerPort}
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT
${controller}
${authorizer}`;
  }
  // A broker of the cluster reaches its controllers through the CONTROLLER listener name without serving it.
  const listeners =
    node.roles === 'broker'
      ? `SASL://${k.host}:${node.port}`
      : `SASL://${k.host}:${node.port},CONTROLLER://${k.host}:${node.controllerPort}`;
  return `listeners=${listeners}
advertised.listeners=${listeners}
inter.broker.listener.name=SASL
listener.security.protocol.map=SASL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.sasl.sasl.enabled.mechanisms=PLAIN
listener.name.sasl.plain.sasl.jaas.config=${jaas}
${controller}
${authorizer}`;
}

/** A Kafka Uuid (base64url of 16 random bytes) usable as a cluster id. */
function newClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function kafkaJvmArgs(cfg, node, logConfig) {
  const heap = node.roles === 'controller' ? cfg.kafka.controllerHeap : cfg.kafka.heap;
  return jvmArgs({ heap, logConfig, logsDir: node.logsDir, jarsDir: cfg.kafka.jarsDir });
}

/**
 * The cluster id every node of the profile is formatted with: one broker gets a new one; the nodes of a
 * cluster share the one in cluster.json (written by the first node formatted).
 */
function clusterIdFor(cfg) {
  const k = cfg.kafka;
  if (k.brokers === 1) return newClusterId();
  try {
    return JSON.parse(fs.readFileSync(k.clusterFile, 'utf8')).clusterId;
  } catch {
    const clusterId = newClusterId();
    fs.mkdirSync(path.dirname(k.clusterFile), { recursive: true });
    fs.writeFileSync(
      k.clusterFile,
      `${JSON.stringify({ clusterId, nodes: k.nodes.map((n) => n.id), controllers: k.controllers.map((c) => c.id) })}\n`,
    );
    return clusterId;
  }
}

async function formatStorage(cfg, node, java, propsFile) {
  const k = cfg.kafka;
  if (fs.existsSync(path.join(node.dataDir, 'meta.properties'))) {
    try {
      const state = JSON.parse(fs.readFileSync(node.stateFile, 'utf8'));
      if (state.controllerPort !== node.controllerPort) {
        throw new InfraError(
          `Kafka storage of ${node.name} was formatted with controller port ${state.controllerPort}, now ${node.controllerPort}: ` +
            `run \`npm run infra:reset${k.brokers === 1 ? '' : ' -- --brokers ' + k.brokers}\` (drops the Kafka data) or set the controller port back`,
        );
      }
    } catch (err) {
      if (err instanceof InfraError) throw err;
    }
    return;
  }
  const clusterId = clusterIdFor(cfg);
  log(`formatting KRaft storage of ${node.name} in ${node.dataDir} (cluster id ${clusterId})`);
  await mkdirp(node.dataDir);
  const toolsLog = path.join(node.confDir, 'tools-log4j2.xml');
  fs.writeFileSync(toolsLog, log4j2Config(node.logsDir, 'tools.log', 'WARN'));
  // One node: a dynamic quorum it bootstraps alone (--standalone). A cluster: the static voters of
  // controller.quorum.voters, the same on every node.
  const quorumArgs = k.brokers === 1 ? ['--standalone'] : [];
  const result = spawnSync(
    java,
    [
      ...kafkaJvmArgs(cfg, node, toolsLog),
      'kafka.tools.StorageTool',
      'format',
      '--config',
      propsFile,
      '--cluster-id',
      clusterId,
      ...quorumArgs,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new InfraError(`Kafka storage format of ${node.name} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  fs.writeFileSync(node.stateFile, `${JSON.stringify({ clusterId, controllerPort: node.controllerPort })}\n`);
}

/** The nodes of the profile named by `names` (kafka = every node; kafka-N = node N of the cluster). */
export function kafkaNodesNamed(cfg, names) {
  if (names.includes('kafka')) return cfg.kafka.nodes;
  return cfg.kafka.nodes.filter((n) => names.includes(n.name));
}

export function kafkaNodePid(node) {
  return livePid(node.pidFile, PROCESS_MARKER);
}

/** The pid of the first node that runs (the single broker's pid). */
export function kafkaPid(cfg) {
  for (const node of cfg.kafka.nodes) {
    const pid = kafkaNodePid(node);
    if (pid !== undefined) return pid;
  }
  return undefined;
}

/**
 * Asks the cluster for its description through `node`'s port; resolves true/false, never throws, never hangs.
 * A node is healthy when it answers and the cluster's metadata lists it (registered and not fenced); with
 * several nodes, kafkajs may send the request to another node it learnt of, so the listing is what counts.
 */
export async function kafkaNodeHealthy(cfg, node, timeoutMs = 4000) {
  const kafka = new Kafka({
    clientId: 'shop-infra-probe',
    brokers: [`${cfg.kafka.host}:${node.port}`],
    logLevel: logLevel.NOTHING,
    ...adminSasl(cfg),
    connectionTimeout: Math.min(1000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await withTimeout(
      (async () => {
        if (!(await portOpen(cfg.kafka.host, node.port, Math.min(1000, timeoutMs)))) throw new Error('port closed');
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0 || cluster.controller === null) throw new Error('no controller yet');
        if (!cluster.brokers.some((b) => b.nodeId === node.id)) throw new Error(`${node.name} not registered yet`);
      })(),
      timeoutMs,
      'kafka probe',
    );
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A controller runs and answers on its port (kafkajs speaks only to brokers; their health shows the quorum). */
export async function kafkaControllerHealthy(cfg, node, timeoutMs = 4000) {
  return kafkaNodePid(node) !== undefined && (await portOpen(cfg.kafka.host, node.controllerPort, Math.min(1000, timeoutMs)));
}

/** Every node of the profile is healthy. */
export async function kafkaHealthy(cfg, timeoutMs = 4000) {
  const answers = await Promise.all(cfg.kafka.nodes.map((node) => kafkaNodeHealthy(cfg, node, timeoutMs)));
  return answers.every(Boolean);
}

/**
 * The first consumer group on a fresh broker waits for __consumer_offsets to be created and loaded
 * (clients log "group coordinator is not available" meanwhile). Do it once here, so `up` means
 * "ready for consumers". Not fatal: the clients retry anyway.
 */
async function warmUpGroupCoordinator(cfg) {
  const kafka = new Kafka({
    clientId: 'shop-infra-warmup',
    brokers: bootstrapServers(cfg),
    logLevel: logLevel.NOTHING,
    ...adminSasl(cfg),
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const admin = kafka.admin();
  try {
    await withTimeout(
      (async () => {
        await admin.connect();
        await admin.describeGroups(['shop-infra-warmup']);
      })(),
      30_000,
      'group coordinator warm-up',
    );
  } catch (err) {
    log(`warning: the group coordinator is not ready yet (${err.message}); consumers will retry`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Starts one node detached and waits until it answers (a cluster node: until the quorum has it). */
async function startKafkaNode(cfg, node, java) {
  const k = cfg.kafka;
  for (const port of [node.port, node.controllerPort].filter((p) => p !== undefined)) {
    if (await portOpen(k.host, port)) {
      const vars = k.brokers === 1 ? 'KAFKA_PORT / KAFKA_CONTROLLER_PORT' : 'KAFKA_CLUSTER_PORT / KAFKA_CLUSTER_CONTROLLER_PORT';
      throw new InfraError(`port ${port} on ${k.host} is already in use by another process: stop it, or set ${vars}`);
    }
  }
  await Promise.all([mkdirp(node.confDir), mkdirp(node.logsDir), mkdirp(node.dataDir)]);
  const propsFile = path.join(node.confDir, 'server.properties');
  const logConfig = path.join(node.confDir, 'log4j2.xml');
  // Mode 600: the SASL listeners' JAAS configuration holds the principals' passwords.
  fs.writeFileSync(propsFile, serverProperties(cfg, node, kafkaPasswords(cfg)), { mode: 0o600 });
  fs.chmodSync(propsFile, 0o600);
  fs.writeFileSync(logConfig, log4j2Config(node.logsDir, 'server.log', 'INFO'));
  await formatStorage(cfg, node, java, propsFile);

  const started = Date.now();
  const outFile = path.join(node.logsDir, 'kafka.out');
  const out = fs.openSync(outFile, 'a');
  let child;
  try {
    child = spawn(java, [...kafkaJvmArgs(cfg, node, logConfig), PROCESS_MARKER, propsFile], {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: path.dirname(node.dataDir),
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
  fs.writeFileSync(node.pidFile, `${child.pid}\n`);
  log(`${node.name} starting (pid ${child.pid}, ${k.host}:${node.port ?? node.controllerPort}, logs ${node.logsDir})`);

  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const healthy = await pollUntil(
    async () => {
      if (exited) return 'exited';
      const healthy = node.roles === 'controller' ? kafkaControllerHealthy : kafkaNodeHealthy;
      return (await healthy(cfg, node, 2000)) ? 'up' : undefined;
    },
    {
      timeoutMs: k.startTimeoutMs,
      intervalMs: 300,
      onWait: (n) => n % 15 === 0 && log(`  still waiting for ${node.name} (${formatMs(Date.now() - started)})`),
    },
  );
  if (healthy !== 'up') {
    const reason = healthy === 'exited' ? 'exited during start' : `did not answer within ${formatMs(k.startTimeoutMs)}`;
    if (!exited) await stopProcess(child.pid, { timeoutMs: 5000, name: node.name });
    fs.rmSync(node.pidFile, { force: true });
    throw new InfraError(
      `${node.name} ${reason}. Last lines of ${path.join(node.logsDir, 'server.log')}:\n${tail(path.join(node.logsDir, 'server.log'))}\n` +
        `--- ${outFile}:\n${tail(outFile, 20)}`,
    );
  }
  log(`${node.name} up on ${k.host}:${node.port ?? node.controllerPort} in ${formatMs(Date.now() - started)}`);
  return child.pid;
}

/**
 * Starts the given brokers (default: every one not running) in parallel, after the cluster's controllers that do
 * not run (a broker is healthy once the quorum, a majority of the controllers, has registered it), and waits
 * until each answers.
 */
export async function startKafka(cfg, nodes = cfg.kafka.nodes.filter((n) => kafkaNodePid(n) === undefined)) {
  const java = checkJava();
  await installKafka(cfg);
  const started = Date.now();
  const controllers = cfg.kafka.controllers.filter((c) => kafkaNodePid(c) === undefined);
  const controllersUp = await Promise.allSettled(controllers.map((c) => startKafkaNode(cfg, c, java)));
  const controllerErrors = controllersUp.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (controllerErrors.length > 0) throw new InfraError(controllerErrors.map((e) => e.message).join('\n\n'));
  const results = await Promise.allSettled(nodes.map((node) => startKafkaNode(cfg, node, java)));
  const errors = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new InfraError(errors.map((e) => e.message).join('\n\n'));
  await warmUpGroupCoordinator(cfg);
  if (cfg.kafka.brokers > 1) log(`kafka cluster up (${bootstrapServers(cfg).join(',')}) in ${formatMs(Date.now() - started)}`);
  return results.map((r) => r.value);
}

/**
 * Stops the given brokers (default: all) with SIGTERM, in parallel; true if any was running. Stopping every broker
 * stops the cluster's controllers too, after them (a broker's controlled shutdown asks the quorum).
 */
export async function stopKafka(cfg, nodes = cfg.kafka.nodes) {
  const stoppedBrokers = await stopKafkaNodes(cfg, nodes);
  const all = cfg.kafka.nodes.every((n) => nodes.includes(n));
  const stoppedControllers = all ? await stopKafkaNodes(cfg, cfg.kafka.controllers) : false;
  return stoppedBrokers || stoppedControllers;
}

/** Stops the given controllers (`down controller-2`); the brokers stay (they go on with the quorum that is left). */
export function stopKafkaControllers(cfg, controllers) {
  return stopKafkaNodes(cfg, controllers);
}

async function stopKafkaNodes(cfg, nodes) {
  const stopped = await Promise.all(
    nodes.map(async (node) => {
      const pid = kafkaNodePid(node);
      if (pid === undefined) {
        fs.rmSync(node.pidFile, { force: true });
        log(`${node.name} is not running`);
        return false;
      }
      const started = Date.now();
      log(`stopping ${node.name} (pid ${pid})`);
      await stopProcess(pid, { signal: 'SIGTERM', timeoutMs: cfg.kafka.stopTimeoutMs, name: node.name });
      fs.rmSync(node.pidFile, { force: true });
      log(`${node.name} stopped in ${formatMs(Date.now() - started)}`);
      return true;
    }),
  );
  return stopped.some(Boolean);
}
