#!/usr/bin/env node
// `npm start`: the demo in one command.
//   1. makes sure the local Kafka and PostgreSQL run (installs the Kafka jars the first time)
//   2. starts sample-view and the demo user feed as child processes and waits until /health says 200
//   3. prints the URLs to open, then a one-line status every 10 s
//   4. Ctrl-C (SIGINT/SIGTERM/SIGHUP): stops the feed, then the service (gracefully), then the infra if this
//      run started it (SHOP_KEEP_INFRA=1 keeps it)
// Env: SAMPLE_VIEW_PORT (3100), RATE (user changes per second, 5), SEED, LOG_LEVEL, SHOP_KEEP_INFRA.
// Children's JSON logs go to tmp/demo/<name>.log; their warnings and errors are echoed here.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { down, ensure, loadConfig } from '../../infra/local/index.mjs';
import { jarsInstalled } from '../../infra/local/kafka.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOG_DIR = path.join(ROOT, 'tmp', 'demo');
const HEALTH_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const STATUS_EVERY_MS = 10_000;

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

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function npmRun(script) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new DemoError(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
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
    if (entry.component === 'kafkajs.Connection') return undefined;
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

/** Stops the feed, then the service, then the infra this run started; idempotent. */
function stopAll(reason, exitCode) {
  stoppingAll ??= (async () => {
    say(`${reason}: stopping…`);
    clearInterval(statusTimer);
    const feed = children.get('user-feed');
    const service = children.get('sample-view');
    if (feed) await stopChild(feed); // the writer first, so the view can settle
    if (service) await stopChild(service);
    if (startedInfra.length > 0 && process.env.SHOP_KEEP_INFRA !== '1') {
      say(`stopping the infra this run started (${startedInfra.join(', ')})`);
      await down({ only: startedInfra });
    } else if (infraReady && startedInfra.length === 0) {
      say('Kafka and PostgreSQL were running before this run: left running');
    }
    say('stopped.');
    process.exit(exitCode);
  })();
  return stoppingAll;
}

function startChild(name, script, env) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const log = fs.createWriteStream(logFile, { flags: 'w' });
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
  exited.then(() => log.end());
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
    entry.child.kill('SIGKILL');
    await entry.exited;
  }
}

async function getJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.json() };
}

async function main() {
  const port = portFromEnv('SAMPLE_VIEW_PORT', 3100);
  const rate = process.env.RATE || '5';
  const baseUrl = `http://localhost:${port}`;
  if (!(await portFree(port))) {
    throw new DemoError(`port ${port} is in use (another sample-view?). Stop it or set SAMPLE_VIEW_PORT.`);
  }

  // 1. Infrastructure.
  if (!jarsInstalled(loadConfig())) {
    say('Kafka jars are not installed yet: npm run infra:install (first start only)');
    npmRun('infra:install');
  }
  if (!fs.existsSync(path.join(ROOT, 'apps', 'sample-view', 'src', 'generated', 'prisma', 'client.ts'))) {
    say('Prisma clients are not generated yet: npm run prisma:generate');
    npmRun('prisma:generate');
  }
  say('starting the local Kafka and PostgreSQL (reused when already running)…');
  const { started, info } = await ensure();
  startedInfra = Object.keys(started).filter((name) => started[name]);
  infraReady = true;
  if (interrupted) {
    await stopAll(interrupted, 0);
    return;
  }

  const databaseUrl = new URL(info.postgresUrl);
  databaseUrl.pathname = '/sample_view';
  const kafkaBrokers = info.kafkaBrokers.join(',');

  // 2. The service and the feed.
  say(`starting sample-view on port ${port} and the user feed at ${rate}/s…`);
  const service = startChild('sample-view', 'apps/sample-view/src/main.ts', {
    KAFKA_BROKERS: kafkaBrokers,
    DATABASE_URL: databaseUrl.toString(),
    PORT: String(port),
  });
  const feed = startChild('user-feed', 'apps/sample-view/src/demo/user-feed.main.ts', { KAFKA_BROKERS: kafkaBrokers, RATE: rate });
  for (const entry of [service, feed]) {
    entry.exited.then(({ code, signal }) => {
      if (entry.stopping || stoppingAll) return;
      warn(`${entry.name} exited unexpectedly (${signal ?? `exit ${code}`}). Last lines of ${path.relative(ROOT, entry.logFile)}:`);
      process.stderr.write(`${tail(entry.logFile)}\n`);
      void stopAll(`${entry.name} failed`, 1);
    });
  }

  const t0 = Date.now();
  let lastNote = 0;
  for (;;) {
    if (stoppingAll) return;
    try {
      const { status, body } = await getJson(`${baseUrl}/health`);
      if (status === 200) break;
      if (Date.now() - lastNote > 3000) {
        lastNote = Date.now();
        say(`waiting for ${baseUrl}/health: ${status} (${(body.checks?.views ?? []).map((v) => `${v.view} ${v.status}, lag ${v.lag}`).join('; ')})`);
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > HEALTH_TIMEOUT_MS) {
      warn(`sample-view did not become healthy within ${HEALTH_TIMEOUT_MS / 1000} s. Last lines of its log:`);
      process.stderr.write(`${tail(service.logFile)}\n`);
      await stopAll('not healthy', 1);
      return;
    }
    await sleep(250);
  }

  // 3. Where to look.
  say(`sample-view is healthy (${((Date.now() - t0) / 1000).toFixed(1)} s after start). Open:`);
  process.stdout.write(
    [
      '',
      `    users      ${baseUrl}/users            (?limit=&offset=)`,
      `    one user   ${baseUrl}/users/<id>`,
      `    health     ${baseUrl}/health`,
      `    rebuild    curl -X POST ${baseUrl}/admin/rebuild`,
      '',
      `    logs       ${path.relative(ROOT, service.logFile)}, ${path.relative(ROOT, feed.logFile)}`,
      '    Ctrl-C stops everything.',
      '',
    ].join('\n') + '\n',
  );
  statusTimer = setInterval(async () => {
    try {
      const [users, health] = await Promise.all([getJson(`${baseUrl}/users?limit=1`), getJson(`${baseUrl}/health`)]);
      const views = (health.body.checks?.views ?? []).map((v) => `${v.view} view ${v.status} (lag ${v.lag})`).join(', ');
      say(`${users.body.total} users in the view; ${views}`);
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
