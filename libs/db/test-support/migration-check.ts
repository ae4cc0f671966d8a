import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@shop/test-infra';
import { applyMigrations } from '../src';
import { REPO_ROOT } from './find-prisma-schemas';
import { diffCatalogs, snapshotCatalog, type CatalogSnapshot } from './schema-catalog';

const run = promisify(execFile);
const DB_DIFF = path.join(REPO_ROOT, 'tools', 'scripts', 'db-diff.mjs');

export interface MigrationCheckResult {
  /** Migrations applied to the fresh database. */
  applied: string[];
  /** Catalog differences between "schema.prisma from empty" and "committed migrations" (empty = match). */
  catalogDifferences: string[];
  /** SQL Prisma's engine would still need after the committed migrations ('' = none). */
  engineDiff: string;
}

/** SQL of "empty database → schema.prisma" (Prisma's wasm schema engine, no database needed). */
export async function sqlFromEmpty(schemaPath: string): Promise<string> {
  const { stdout } = await run(process.execPath, [DB_DIFF, '--schema', schemaPath, '--from-empty'], {
    cwd: REPO_ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * Prisma's own check: replays the committed migrations in a shadow database on `adminUrl` and diffs against
 * schema.prisma. Returns the missing SQL, '' when the migrations are complete.
 */
export async function engineDiffFromMigrations(schemaPath: string, adminUrl: string): Promise<string> {
  try {
    await run(process.execPath, [DB_DIFF, '--schema', schemaPath, '--from-migrations', '--exit-code'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: adminUrl },
      maxBuffer: 64 * 1024 * 1024,
    });
    return '';
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (e.code === 2 && e.stdout) return e.stdout;
    throw new Error(`db-diff --from-migrations failed for ${schemaPath}: ${e.stderr ?? String(error)}`);
  }
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Applies the committed migrations of `schemaPath` to one fresh database, the "empty → schema.prisma" SQL to
 * another, and compares both catalogs; also asks Prisma's engine whether a migration is missing.
 */
export async function checkMigrationsMatchSchema(schemaPath: string): Promise<MigrationCheckResult> {
  const migrationsDir = path.join(path.dirname(schemaPath), 'migrations');
  if (!existsSync(migrationsDir)) {
    throw new Error(`${schemaPath} has no committed migrations: run npm run db:migration -- --schema ${schemaPath} --name init`);
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set (the jest global setup of @shop/testing sets it)');

  const databases: TestDatabase[] = [];
  try {
    const migrated = await createTestDatabase('mig');
    databases.push(migrated);
    const expected = await createTestDatabase('exp');
    databases.push(expected);

    const [{ applied }, sql] = await Promise.all([applyMigrations({ databaseUrl: migrated.url, migrationsDir }), sqlFromEmpty(schemaPath)]);
    await withClient(expected.url, (client) => client.query(sql));

    const [want, got] = await Promise.all([
      withClient<CatalogSnapshot>(expected.url, (client) => snapshotCatalog(client)),
      withClient<CatalogSnapshot>(migrated.url, (client) => snapshotCatalog(client)),
    ]);
    const engineDiff = await engineDiffFromMigrations(schemaPath, adminUrl);
    return { applied, catalogDifferences: diffCatalogs(want, got), engineDiff };
  } finally {
    await Promise.all(databases.map((db) => db.drop()));
  }
}
