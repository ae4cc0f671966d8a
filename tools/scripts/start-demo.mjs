#!/usr/bin/env node
// `npm start`: the whole system in one command.
//   1. makes sure the local Kafka, PostgreSQL and Kafka Connect run (installs the jars the first time)
//   2. starts the services of the manifest (legacy-monolith, order-validation, shipping, fraud-detection,
//      analytics) as child processes, each with its own database role, and waits until each /health says 200; on the
//      single broker each signs in on the SASL listener as its own Kafka principal, held to the catalogue's ACLs
//      (npm run kafka:acls -- grant, run here first)
//   3. registers the users CDC connector (Debezium: the monolith's users table → the users topic)
//   4. feeds orders: the load generator in monolith mode (users through the monolith's API and CDC), round
//      after round with a new SEED each round, at a gentle RATE, until Ctrl-C
//   5. prints the URLs (the dashboard first), then a one-line status every 10 s
//   6. supervises them: a service that crashes (or is killed) is started again with backoff (1 s, 2 s, … 30 s;
//      back to 1 s after a minute up), and says so; a bad configuration (exit 78) is not retried
//   7. Ctrl-C (SIGINT/SIGTERM/SIGHUP): stops the load, the services (gracefully), the monolith, then the infra
//      if this run started it (SHOP_KEEP_INFRA=1 keeps it)
// The services, their ports and databases come from the services manifest (libs/contracts/src/services/services.json).
// Env: <SERVICE>_PORT (the manifest's port, e.g. LEGACY_MONOLITH_PORT, ORDER_VALIDATION_PORT), RATE (orders per
// second, 2), DEMO_USERS (30, ≥ 30) and DEMO_ORDERS (150, ≥ 150) per load round, SEED (first round's seed; default
// from the clock so a restart places new orders), DEMO_LOAD=0 (no load), DEMO_<SERVICE>=1 (also a service the
// manifest marks demo "opt-in", e.g. DEMO_SAMPLE_VIEW=1), INSTANCES (e.g. shipping=3,order-validation=2: processes
// per service, instance n on the service's port + 100·(n−1)), LOG_LEVEL, SHOP_KEEP_INFRA.
// Children's JSON logs go to tmp/demo/<name>.log; their warnings and errors are echoed here.
// `npm run demo:add -- <service>` (tools/scripts/demo-add.mjs) starts one more service of the manifest in a running demo.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { down, ensure, loadConfig } from '../../infra/local/index.mjs';
import { SERVICES } from '../../infra/local/config.mjs';
import { connectJarsInstalled } from '../../infra/local/connect.mjs';
import { jarsInstalled } from '../../infra/local/kafka.mjs';
import { answerFile, CONTROL_DIR, PID_FILE, requestFile, startedFile } from './lib/demo-control.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOG_DIR = path.join(ROOT, 'tmp', 'demo');
const HEALTH_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;
const STATUS_EVERY_MS = 10_000;
const T0 = Date.now();

const since = () => `${((Date.now() - T0) / 1000).toFixed(1)} s`;
const say = (message) => process.stdout.write(`[demo] ${message}\n`);
const warn = (message) => process.stderr.write(`[demo] ${message}\n`);

class DemoError extends Error {}

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new DemoError(`${name} must be a TCP port (1-65535), got "${raw}"`);
  return port;
}

function numberFromEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new DemoError(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return value;
}

/** INSTANCES=shipping=3,order-validation=2 → how many processes of each service (default 1). */
function instancesFromEnv(scalable) {
  const result = new Map();
  for (const entry of (process.env.INSTANCES ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)$/.exec(entry);
    if (!match || !scalable.includes(match[1]) || Number(match[2]) < 1 || Number(match[2]) > 9) {
      throw new DemoError(`INSTANCES: "${entry}" is not <service>=<1-9> with a service of ${scalable.join(', ')}`);
    }
    result.set(match[1], Number(match[2]));
  }
  return result;
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Runs a command to its end (output to tmp/demo/<name>.log, or here with inherit); rejects on a non-zero exit. */
function run(name, command, args, env, { inherit = false } = {}) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const stdio = inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', log, log];
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio, detached: true });
  const entry = {
    name,
    child,
    logFile,
    stopping: false,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  children.set(name, entry);
  return entry.exited.then(({ code, signal }) => {
    fs.closeSync(log);
    children.delete(name);
    if (code !== 0)
      throw new DemoError(`${name} failed (${signal ?? `exit ${code}`}). Last lines of ${path.relative(ROOT, logFile)}:\n${tail(logFile)}`);
  });
}

function npmRun(name, args, env = {}, options = {}) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return run(name, npm, ['run', ...args], env, options);
}

function tail(file, lines = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** One JSON log line → a short human line, or undefined for info-level noise. */
function noteworthy(line) {
  try {
    const entry = JSON.parse(line);
    if (!['warn', 'error', 'fatal'].includes(entry.level)) return undefined;
    // kafkajs logs every failed request (e.g. "coordinator is loading" on a fresh broker) and retries it;
    // what it cannot recover from surfaces as our own error or fatal entry. Those lines stay in the log file.
    if (typeof entry.component === 'string' && entry.component.startsWith('kafkajs')) return undefined;
    return `${entry.level.toUpperCase()} ${entry.context ?? entry.component ?? ''} ${entry.msg ?? ''}${entry.error ? `: ${entry.error}` : ''}`;
  } catch {
    return line.trim() === '' ? undefined : line; // not JSON: config errors, crashes before the logger exists
  }
}

const children = new Map();
/** Infra components this run started (only those are stopped at the end). */
let startedInfra = [];
let interrupted;
let infraReady = false;
let statusTimer;
let stoppingAll;

/** Stops the load, then the services, then the monolith, then the infra this run started; idempotent. */
function stopAll(reason, exitCode) {
  stoppingAll ??= (async () => {
    say(`${reason}: stopping…`);
    clearInterval(statusTimer);
    const stop = (names) =>
      Promise.all(
        names
          .map((n) => children.get(n))
          .filter(Boolean)
          .map(stopChild),
      );
    // The writers first, so the views can settle; the monolith last (CDC reads its table).
    await stop([...children.keys()].filter((n) => ['load-generator', 'cdc-register', 'infra-install', 'prisma-generate'].includes(n)));
    await stop([...children.keys()].filter((n) => SERVICES.some((s) => s.kafka && (n === s.name || n.startsWith(`${s.name}-`)))));
    await stop([...children.keys()]);
    if (startedInfra.length > 0 && process.env.SHOP_KEEP_INFRA !== '1') {
      say(`stopping the infra this run started (${startedInfra.join(', ')})`);
      await down({ only: startedInfra });
    } else if (infraReady && startedInfra.length === 0) {
      say('Kafka, PostgreSQL and Connect were running before this run: left running');
    }
    fs.rmSync(PID_FILE, { force: true });
    say(`stopped (${since()}).`);
    process.exit(exitCode);
  })();
  return stoppingAll;
}

/** A long-running node child: `node -r @swc-node/register <script>`, JSON logs to tmp/demo/<name>.log. */
function startChild(name, script, env, { append = false } = {}) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const log = fs.createWriteStream(logFile, { flags: append ? 'a' : 'w' });
  // Own process group: a Ctrl-C in the terminal reaches only this script, which stops the children in order.
  const child = spawn(process.execPath, ['-r', '@swc-node/register', script], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      const note = noteworthy(line);
      if (note) warn(`${name}: ${note}`);
    });
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const entry = { name, child, logFile, exited, stopping: false };
  exited.then(() => {
    log.end();
    if (children.get(name) === entry) children.delete(name);
  });
  children.set(name, entry);
  return entry;
}

async function stopChild(entry) {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  entry.stopping = true;
  entry.child.kill('SIGTERM');
  const result = await Promise.race([entry.exited, sleep(STOP_TIMEOUT_MS).then(() => undefined)]);
  if (!result) {
    warn(`${entry.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing it`);
    try {
      process.kill(-entry.child.pid, 'SIGKILL');
    } catch {
      entry.child.kill('SIGKILL');
    }
    await entry.exited;
  }
}

async function getJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.json() };
}

/** Polls GET <url>/health/ready until 200; a child that exits meanwhile fails the start. */
async function waitHealthy(entry, baseUrl) {
  const started = Date.now();
  let lastNote = 0;
  for (;;) {
    if (stoppingAll) return;
    if (entry.child.exitCode !== null || entry.child.signalCode !== null) {
      throw new DemoError(
        `${entry.name} exited during start. Last lines of ${path.relative(ROOT, entry.logFile)}:\n${tail(entry.logFile)}`,
      );
    }
    try {
      const { status, body } = await getJson(`${baseUrl}/health/ready`);
      if (status === 200) {
        say(`${entry.name.padEnd(16)} healthy  ${baseUrl}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        return;
      }
      if (Date.now() - lastNote > 5000) {
        lastNote = Date.now();
        say(
          `waiting for ${entry.name}: ${status} (${(body.checks?.views ?? []).map((v) => `${v.view} ${v.status}, lag ${v.lag}`).join('; ')})`,
        );
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - started > HEALTH_TIMEOUT_MS) {
      throw new DemoError(
        `${entry.name} did not become healthy within ${HEALTH_TIMEOUT_MS / 1000} s. Last lines of ${path.relative(ROOT, entry.logFile)}:\n${tail(entry.logFile)}`,
      );
    }
    await sleep(250);
  }
}

const RESTART_MAX_DELAY_MS = 30_000;
/** A process up this long has recovered: its next crash restarts it after the shortest delay again. */
const RESTART_RESET_AFTER_MS = 60_000;
/** Restarts of each supervised process, for the status line. */
const restarts = new Map();

/**
 * Keeps a service running: when its process ends without being asked to (a crash, an OOM kill, a kill -9
 * from a curious user), it is started again after a backoff that doubles up to 30 s. Exit 78 is a bad
 * configuration, which a restart does not fix: that one stops the demo.
 */
function supervise(name, first, spawnAgain) {
  let delay = 1000;
  const watch = (entry, startedAt) => {
    entry.exited.then(async ({ code, signal }) => {
      if (entry.stopping || stoppingAll) return;
      if (code === 78) {
        warn(`${name} has a bad configuration (exit 78). Last lines of ${path.relative(ROOT, entry.logFile)}:`);
        process.stderr.write(`${tail(entry.logFile)}\n`);
        void stopAll(`${name} cannot start`, 1);
        return;
      }
      if (Date.now() - startedAt > RESTART_RESET_AFTER_MS) delay = 1000;
      const count = (restarts.get(name) ?? 0) + 1;
      restarts.set(name, count);
      warn(
        `${name} exited unexpectedly (${signal ?? `exit ${code}`}); restarting it in ${delay / 1000} s (restart #${count}). Log: ${path.relative(ROOT, entry.logFile)}`,
      );
      await sleep(delay);
      delay = Math.min(RESTART_MAX_DELAY_MS, delay * 2);
      if (stoppingAll) return;
      const next = spawnAgain();
      watch(next, Date.now());
    });
  };
  watch(first, Date.now());
}

/** The load generator, round after round (it has no continuous mode yet), each round with a new seed. */
async function loadLoop({ env, firstSeed }) {
  let consecutiveFailures = 0;
  for (let round = 0; !stoppingAll; round++) {
    const seed = firstSeed + round;
    const entry = startChild('load-generator', 'apps/load-generator/src/main.ts', { ...env, SEED: String(seed) }, { append: round > 0 });
    const { code, signal } = await entry.exited;
    if (stoppingAll || entry.stopping) return;
    if (code === 78) {
      warn(`load generator: bad configuration. Last lines of ${path.relative(ROOT, entry.logFile)}:\n${tail(entry.logFile)}`);
      return;
    }
    if (code === 0) {
      consecutiveFailures = 0;
      say(`load round ${round + 1} (SEED=${seed}) done; next round`);
    } else {
      consecutiveFailures++;
      warn(
        `load round ${round + 1} (SEED=${seed}) ended with ${signal ?? `exit ${code}`} (see ${path.relative(ROOT, entry.logFile)}); next round`,
      );
      await sleep(Math.min(30_000, 2000 * consecutiveFailures));
    }
  }
}

/** ORDER_VALIDATION for order-validation: the prefix of a service's variables. */
const envName = (service) => service.name.toUpperCase().replace(/-/g, '_');

/**
 * Answers `npm run demo:add -- <service>`: a request file in tmp/demo/control names the service; `add` starts it
 * and the answer is written beside it. Polled (twice a second): fs.watch is not reliable on every file system.
 */
function serveAddRequests(add) {
  fs.mkdirSync(CONTROL_DIR, { recursive: true });
  fs.writeFileSync(PID_FILE, `${process.pid}\n`);
  const busy = new Set();
  const timer = setInterval(() => {
    let files = [];
    try {
      files = fs.readdirSync(CONTROL_DIR).filter((f) => f.endsWith('.request'));
    } catch {
      return;
    }
    for (const file of files) {
      const name = file.slice(0, -'.request'.length);
      if (busy.has(name)) continue;
      busy.add(name);
      fs.rmSync(requestFile(name), { force: true });
      void add(name)
        .catch((error) => ({ ok: false, message: error.message }))
        .then((answer) => fs.writeFileSync(answerFile(name), JSON.stringify(answer)))
        .finally(() => busy.delete(name));
    }
  }, 500);
  timer.unref();
}

/** Roles the demo wires by name: the CDC source, the front door the load goes to, the dashboard. */
const MONOLITH = 'legacy-monolith';
const FRONT_DOOR = 'order-validation';
const DASHBOARD = 'analytics';

async function main() {
  // The manifest's services npm start runs: the default ones, and the opt-in ones asked for (DEMO_<NAME>=1).
  const selected = SERVICES.filter((s) => s.demo === 'default' || process.env[`DEMO_${envName(s)}`] === '1');
  for (const role of [MONOLITH, FRONT_DOOR, DASHBOARD]) {
    if (!selected.some((s) => s.name === role)) throw new DemoError(`the services manifest has no ${role} that npm start runs by default`);
  }
  const portOf = Object.fromEntries(selected.map((s) => [s.name, portFromEnv(`${envName(s)}_PORT`, s.port)]));
  const withLoad = process.env.DEMO_LOAD !== '0';
  const rate = numberFromEnv('RATE', 2, 0.01);
  const users = numberFromEnv('DEMO_USERS', 30, 30);
  const orders = numberFromEnv('DEMO_ORDERS', 150, 150);
  const firstSeed = numberFromEnv('SEED', Math.floor(Date.now() / 1000), 0);
  const url = (port) => `http://localhost:${port}`;

  const firsts = selected.map((s) => ({ name: s.name, app: s.name, db: s.database, port: portOf[s.name], kafka: s.kafka }));
  const instances = instancesFromEnv(firsts.filter((s) => s.kafka !== false).map((s) => s.name));
  // Instance n of a service: the same database (its consumer groups spread the partitions), port + 100·(n−1).
  const services = firsts.flatMap((s) =>
    Array.from({ length: instances.get(s.name) ?? 1 }, (_, i) =>
      i === 0 ? s : { ...s, name: `${s.name}-${i + 1}`, port: s.port + 100 * i },
    ),
  );
  const busy = [];
  for (const s of services) if (!(await portFree(s.port))) busy.push(`${s.name} ${s.port}`);
  if (busy.length > 0) {
    throw new DemoError(`port(s) in use: ${busy.join(', ')}. Stop what runs there (another npm start?) or set the *_PORT variables.`);
  }

  // 1. Infrastructure.
  const cfg = loadConfig();
  if (!jarsInstalled(cfg) || !connectJarsInstalled(cfg)) {
    say('Kafka / Connect jars are not installed yet: npm run infra:install (first start only)');
    await npmRun('infra-install', ['infra:install'], {}, { inherit: true });
  }
  if (!fs.existsSync(path.join(ROOT, 'apps', 'analytics', 'src', 'generated', 'prisma', 'client.ts'))) {
    say('Prisma clients are not generated yet: npm run prisma:generate');
    await npmRun('prisma-generate', ['prisma:generate'], {}, { inherit: true });
  }
  say('starting the local Kafka, PostgreSQL and Kafka Connect (reused when already running)…');
  let ensured;
  try {
    ensured = await ensure();
  } catch (error) {
    // What did start is ours to stop.
    startedInfra = Object.keys(error.started ?? {}).filter((name) => error.started[name]);
    infraReady = true;
    throw error;
  }
  const { started, info } = ensured;
  startedInfra = Object.keys(started).filter((name) => started[name]);
  infraReady = true;
  say(`infra ready (${since()})`);
  if (interrupted) {
    await stopAll(interrupted, 0);
    return;
  }

  const kafkaBrokers = info.kafkaBrokers.join(',');
  // The brokers ask every client for SASL (both profiles): each service signs in as its own principal, held to the
  // ACLs derived from the catalogue (granted here by the admin principal).
  const sasl = info.kafkaSasl;
  const kafkaEnv = (principal) => {
    const password = sasl.passwords[principal];
    if (!password) throw new DemoError(`the local broker has no Kafka principal ${principal} (run \`npm run infra:reset\`?)`);
    return {
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_SASL_MECHANISM: sasl.mechanism,
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_PASSWORD: password,
    };
  };
  await npmRun('kafka-acls', ['kafka:acls', '--', 'grant'], { ...kafkaEnv('admin'), TOPIC_PREFIX: '' });
  say(`Kafka ACLs granted: every service signs in on ${kafkaBrokers} as itself (${since()})`);
  // Each service as its own database role, owner of its database only (never the superuser).
  const databaseUrl = (name) => {
    const url = info.databaseUrls?.[name];
    if (!url) throw new Error(`the local infra has no role for database ${name} (run \`npm run infra:up\` again)`);
    return url;
  };

  const addable = SERVICES.filter((s) => s.kafka !== false && !services.some((o) => o.name === s.name));
  const watched = [...services, ...addable.map((s) => ({ name: s.name, port: portFromEnv(`${envName(s)}_PORT`, s.port) }))];

  // /admin/* of every service needs this bearer token (ADMIN_TOKEN, or a fresh one per run, printed below).
  const adminToken = process.env.ADMIN_TOKEN || randomBytes(24).toString('hex');

  // 2. The services, all at once; each is awaited on its /health.
  say(`starting ${services.map((s) => `${s.name} :${s.port}`).join(', ')}…`);
  const entries = services.map((s) => {
    const env = {
      ...(s.kafka === false ? {} : { ...kafkaEnv(s.app), ADMIN_TOKEN: adminToken }),
      DATABASE_URL: databaseUrl(s.db),
      PORT: String(s.port),
      // The dashboard's operations table: readiness, lag and restarts of every process of the demo, and of the
      // manifest's opt-in services at their ports ("not-started" until npm run demo:add starts one).
      ...(s.name === DASHBOARD ? { DASHBOARD_SERVICES: watched.map((o) => `${o.name}=${url(o.port)}`).join(',') } : {}),
    };
    return { ...s, env, entry: startChild(s.name, `apps/${s.app}/src/main.ts`, env) };
  });
  const monolith = entries.find((s) => s.name === MONOLITH);
  // 3. CDC as soon as the monolith has migrated its table (the others start meanwhile).
  const cdc = waitHealthy(monolith.entry, url(monolith.port)).then(async () => {
    await npmRun('cdc-register', ['cdc:users', '--', 'register'], {
      MONOLITH_DATABASE_URL: databaseUrl(monolith.db),
      // The operator's step (it provisions the users topic before the connector writes it): the admin principal.
      ...kafkaEnv('admin'),
      CONNECT_URL: info.connectUrl,
    });
    say(`users CDC connector registered and RUNNING (${since()})`);
  });
  await Promise.all([cdc, ...entries.filter((s) => s !== monolith).map((s) => waitHealthy(s.entry, url(s.port)))]);
  if (stoppingAll) return;
  for (const s of entries) supervise(s.name, s.entry, () => startChild(s.name, `apps/${s.app}/src/main.ts`, s.env, { append: true }));

  // 4. Orders.
  if (withLoad) {
    say(
      `load: rounds of ${orders} orders (${users} users through the monolith + CDC) at ${rate}/s, SEED ${firstSeed}, ${firstSeed + 1}, …`,
    );
    void loadLoop({
      firstSeed,
      env: {
        USERS_VIA: 'monolith',
        EVENT_TIME: 'wall', // placedAt = when sent: the dashboard's orders per minute show the real flow
        MONOLITH_URL: url(portOf[MONOLITH]),
        // Every order-validation instance: the load generator spreads its requests and fails over.
        ORDER_VALIDATION_URL: services
          .filter((s) => s.app === FRONT_DOOR)
          .map((s) => url(s.port))
          .join(','),
        // The demo's driver, not a service of the catalogue: the admin principal.
        ...kafkaEnv('admin'),
        USERS: String(users),
        ORDERS: String(orders),
        RATE: String(rate),
        CONCURRENCY: '2',
      },
    });
  }

  // demo:add: one more service of the manifest, started like the others (from offset 0 in its own database).
  serveAddRequests(async (name) => {
    const s = SERVICES.find((x) => x.name === name);
    if (!s) return { ok: false, message: 'not a service of the manifest' };
    const port = portFromEnv(`${envName(s)}_PORT`, s.port);
    if (children.has(name)) return { ok: true, message: 'already running', url: url(port) };
    if (!(await portFree(port))) return { ok: false, message: `port ${port} is in use` };
    say(`demo:add: starting ${name} :${port}…`);
    const env = {
      ...(s.kafka === false ? {} : { ...kafkaEnv(s.name), ADMIN_TOKEN: adminToken }),
      DATABASE_URL: databaseUrl(s.database),
      PORT: String(port),
    };
    const entry = startChild(name, `apps/${name}/src/main.ts`, env);
    fs.writeFileSync(startedFile(name), JSON.stringify({ url: url(port) }));
    try {
      await waitHealthy(entry, url(port));
    } catch (error) {
      await stopChild(entry);
      throw error;
    }
    supervise(name, entry, () => startChild(name, `apps/${name}/src/main.ts`, env, { append: true }));
    return { ok: true, message: 'healthy', url: url(port) };
  });

  // 5. Where to look.
  const a = url(portOf[DASHBOARD]);
  // What to open on each service this demo knows; any other service of the manifest gets its base URL.
  const links = {
    [DASHBOARD]: (u) => [
      `    dashboard         ${u}/dashboard          (live, Server-Sent Events)`,
      `    analytics         ${u}/analytics/totals   ${u}/analytics/windows?size=1m&dimension=region`,
    ],
    [FRONT_DOOR]: (u) => [`    orders            POST ${u}/orders   GET ${u}/orders/<id>`],
    shipping: (u) => [`    shipments         ${u}/shipments`],
    'fraud-detection': (u) => [`    fraud alerts      ${u}/alerts`],
    [MONOLITH]: (u) => [`    users (monolith)  ${u}/users`],
    'sample-view': (u) => [`    users (view)      ${u}/users`],
  };
  const order = [DASHBOARD, ...firsts.map((s) => s.name).filter((name) => name !== DASHBOARD)];
  say(`everything is up (${since()} after npm start). Open:`);
  process.stdout.write(
    [
      '',
      ...order.flatMap((name) => (links[name] ?? ((u) => [`    ${name.padEnd(17)} ${u}`]))(url(portOf[name]))),
      `    health            ${services.map((s) => `${url(s.port)}/health/ready`).join('  ')}`,
      `    CDC connector     ${info.connectUrl}/connectors/users-cdc/status`,
      `    admin (/admin/*)  export ADMIN_TOKEN=${adminToken}   then  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" ${url(portOf[DASHBOARD])}/admin/rebuild`,
      '',
      `    logs              ${path.relative(ROOT, LOG_DIR)}/*.log`,
      '    Ctrl-C stops everything. npm run demo:add -- <service> starts one more (e.g. customer-profiles).',
      '',
    ].join('\n') + '\n',
  );
  statusTimer = setInterval(async () => {
    try {
      const { body: t } = await getJson(`${a}/analytics/totals`);
      const restarted = [...restarts].map(([name, n]) => `${name} ×${n}`).join(', ');
      say(
        `orders ${t.orders.validated} validated / ${t.orders.rejected} rejected, revenue €${(t.revenueCents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}, ` +
          `${t.shipments} shipments, ${t.fraudAlerts.total} fraud alerts${restarted ? `; restarts: ${restarted}` : ''}`,
      );
    } catch (error) {
      warn(`status check failed: ${error.message}`);
    }
  }, STATUS_EVERY_MS);
}

// Last resort if this script dies abruptly: do not leave detached children behind.
process.on('exit', () => {
  for (const { child } of children.values()) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

// Signals before the infra is ready are remembered (ensure() cannot be interrupted halfway).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (infraReady) void stopAll(signal, 0);
    else interrupted ??= signal;
  });
}

main().catch(async (error) => {
  warn(error instanceof DemoError || error?.name === 'InfraError' ? `ERROR: ${error.message}` : (error?.stack ?? String(error)));
  await stopAll('start failed', 1);
});
