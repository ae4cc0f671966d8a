// Small process/file helpers shared by the Kafka and PostgreSQL scripts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** Human-readable progress goes to stderr, so stdout stays usable for --json. */
export function log(message) {
  process.stderr.write(`[infra] ${message}\n`);
}

export class InfraError extends Error {}

export function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) still answers kill(0).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

export function readPid(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').split('\n')[0].trim(), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Command line of a process, or '' when unknown (used to make sure a pid file is not stale). */
export function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The pid from `file` if that process is alive and its command line contains `marker`. */
export function livePid(file, marker) {
  const pid = readPid(file);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const cmd = cmdline(pid);
  if (cmd !== '' && !cmd.includes(marker)) return undefined; // pid reused by something else
  return pid;
}

export function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Polls `probe` until it returns a truthy value; throws with `describe()` after `timeoutMs`. */
export async function pollUntil(probe, { timeoutMs, intervalMs = 250, onWait }) {
  const deadline = Date.now() + timeoutMs;
  let attempt = 0;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) return undefined;
    attempt += 1;
    if (onWait) onWait(attempt);
    await sleep(intervalMs);
  }
}

/** SIGTERM (or `signal`), wait up to `timeoutMs`, then SIGKILL. Returns true if it had to kill. */
export async function stopProcess(pid, { signal = 'SIGTERM', timeoutMs, name }) {
  if (!isAlive(pid)) return false;
  try {
    process.kill(pid, signal);
  } catch {
    return false;
  }
  const exited = await pollUntil(() => !isAlive(pid), { timeoutMs, intervalMs: 100 });
  if (exited) return false;
  log(`${name} (pid ${pid}) did not stop within ${timeoutMs / 1000}s: SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await pollUntil(() => !isAlive(pid), { timeoutMs: 5000, intervalMs: 100 });
  return true;
}

/** True if something accepts TCP connections on host:port. */
export function portOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Races a promise against a timeout (the timer never keeps the process alive). */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function mkdirp(dir) {
  await fsp.mkdir(dir, { recursive: true });
}

/** Written whole (temp file + rename); mode 600: infra.json holds the database roles' passwords. */
export async function writeJson(file, value) {
  await mkdirp(path.dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await fsp.rename(tmp, file);
}

/**
 * A cross-process lock (mkdir is atomic) so two `ensure` calls (say two jest runs) do not both start
 * a broker. A lock left by a dead process is taken over.
 */
export async function withLock(lockDir, fn, { timeoutMs = 300_000 } = {}) {
  await mkdirp(path.dirname(lockDir));
  const ownerFile = path.join(lockDir, 'owner');
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = readPid(ownerFile);
      if (owner !== undefined ? !isAlive(owner) : lockAgeMs(lockDir) > 10_000) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new InfraError(`another infra command (pid ${owner}) holds ${lockDir} for too long`);
      }
      if (!announced) {
        log(`waiting for another infra command (pid ${owner ?? '?'}) to finish`);
        announced = true;
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockAgeMs(dir) {
  try {
    return Date.now() - fs.statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}

export function formatMs(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * The passwords of `names`, kept in `file` (JSON, mode 600): made at random the first time a name is seen, the same
 * on every later start. The local infra's PostgreSQL roles and Kafka principals use it.
 */
export function passwordsIn(file, names) {
  let known = {};
  try {
    known = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    known = {};
  }
  const missing = names.filter((name) => typeof known[name] !== 'string' || known[name].length < 16);
  if (missing.length === 0) return known;
  const all = { ...known, ...Object.fromEntries(missing.map((name) => [name, crypto.randomBytes(18).toString('base64url')])) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return all;
}
