import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { readMigrationsDir } from './migrations-dir';

/** Anything with Nest's Logger shape (`new Logger('Migrations')` fits). */
export interface MigrationLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  /** The service's `prisma/migrations` folder. */
  migrationsDir: string;
  logger?: MigrationLogger;
  /** How long to wait for another instance that is migrating the same database. Default 5 minutes. */
  lockTimeoutMs?: number;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order; empty when the database was up to date. */
  applied: string[];
}

/** The advisory lock key Prisma's schema engine takes during `migrate deploy`, so both exclude each other. */
export const PRISMA_MIGRATE_ADVISORY_LOCK_KEY = 72707369;

/** Prisma's migrations table, exactly as its schema engine creates it on PostgreSQL. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

const silent: MigrationLogger = { log: () => undefined, warn: () => undefined };

/**
 * Applies the committed Prisma migrations that are not applied yet, like `prisma migrate deploy`, without
 * Prisma's schema engine: each script runs as one simple-protocol query (PostgreSQL runs it in one implicit
 * transaction unless it contains its own BEGIN/COMMIT) and is recorded in `_prisma_migrations` with Prisma's
 * columns and checksums, so Prisma's tools read the history as their own.
 *
 * A PostgreSQL advisory lock (Prisma's key) serializes concurrent callers: when several instances start at
 * once, one applies the migrations and the others find nothing left to do. Like Prisma, a migration that
 * failed before blocks further migrations until it is marked rolled back (see libs/db/README.md).
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { databaseUrl, migrationsDir, logger = silent, lockTimeoutMs = 300_000 } = options;
  const migrations = readMigrationsDir(migrationsDir);
  const client = new Client({ connectionString: databaseUrl, application_name: 'shop-db-migrate' });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${Math.max(0, Math.floor(lockTimeoutMs))}`);
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]).catch((error: unknown) => {
      throw new Error(
        `Could not take the migration lock (pg_advisory_lock(${PRISMA_MIGRATE_ADVISORY_LOCK_KEY})) within ${lockTimeoutMs} ms: ` +
          `another instance is still migrating this database (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    });
    await client.query('RESET lock_timeout');
    try {
      return { applied: await applyLocked(client, migrations, logger) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyLocked(client: Client, migrations: ReturnType<typeof readMigrationsDir>, logger: MigrationLogger): Promise<string[]> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.filter((row) => row.finished_at === null);
  if (failed.length > 0) {
    const names = failed.map((row) => row.migration_name).join(', ');
    throw new Error(
      `Migration(s) ${names} failed before and block new migrations (Prisma P3009). Fix the database, then ` +
        `mark them rolled back: UPDATE "_prisma_migrations" SET rolled_back_at = now() ` +
        `WHERE migration_name = '<name>' AND finished_at IS NULL`,
    );
  }
  const applied = new Map(live.map((row) => [row.migration_name, row]));
  const known = new Set(migrations.map((m) => m.name));
  for (const row of live) {
    if (!known.has(row.migration_name)) {
      logger.warn(`Migration ${row.migration_name} is applied to the database but missing from the migrations folder`);
    }
  }

  const done: string[] = [];
  for (const migration of migrations) {
    const existing = applied.get(migration.name);
    if (existing) {
      if (existing.checksum !== migration.checksum) {
        logger.warn(`Migration ${migration.name} was modified after it was applied (checksum differs)`);
      }
      continue;
    }
    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    const started = Date.now();
    try {
      await client.query(migration.script);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
      throw new Error(`Migration ${migration.name} failed: ${message}`, { cause: error });
    }
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1`, [
      id,
    ]);
    logger.log(`Applied migration ${migration.name} (${Date.now() - started} ms)`);
    done.push(migration.name);
  }
  return done;
}
