import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@shop/test-infra';
import { REPO_ROOT } from '../test-support/find-prisma-schemas';
import { applyMigrations, readMigrationsDir } from './index';

const FIXTURE_MIGRATIONS = path.join(REPO_ROOT, 'libs/db/test-support/prisma/migrations');
const fixtureNames = readMigrationsDir(FIXTURE_MIGRATIONS).map((m) => m.name);

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const history = (url: string) => query<HistoryRow>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name');

describe('applyMigrations', () => {
  const databases: TestDatabase[] = [];
  const freshDatabase = async () => {
    const db = await createTestDatabase('apply');
    databases.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('applies the committed migrations once, records them like Prisma, and is a no-op on re-run', async () => {
    const db = await freshDatabase();
    const logged: string[] = [];
    const logger = { log: (m: string) => logged.push(m), warn: (m: string) => logged.push(`WARN ${m}`) };

    const t0 = performance.now();
    const first = await applyMigrations({ databaseUrl: db.url, migrationsDir: FIXTURE_MIGRATIONS, logger });
    const t1 = performance.now();
    const second = await applyMigrations({ databaseUrl: db.url, migrationsDir: FIXTURE_MIGRATIONS, logger });
    const t2 = performance.now();
    process.stderr.write(
      `applyMigrations timings: cold ${(t1 - t0).toFixed(1)} ms (${first.applied.length} migrations), no-op ${(t2 - t1).toFixed(1)} ms\n`,
    );

    expect(first.applied).toEqual(fixtureNames);
    expect(second.applied).toEqual([]);
    expect(logged.filter((l) => l.startsWith('WARN'))).toEqual([]);
    const rows = await history(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(fixtureNames);
    const checksums = readMigrationsDir(FIXTURE_MIGRATIONS).map((m) => m.checksum);
    expect(rows.map((r) => r.checksum)).toEqual(checksums);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await query<{ tablename: string }>(
      db.url,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(['_prisma_migrations', 'owners', 'widgets']);
  });

  it('lets two instances start at once: both succeed, the migrations are applied once', async () => {
    const db = await freshDatabase();
    const results = await Promise.all([
      applyMigrations({ databaseUrl: db.url, migrationsDir: FIXTURE_MIGRATIONS }),
      applyMigrations({ databaseUrl: db.url, migrationsDir: FIXTURE_MIGRATIONS }),
    ]);
    const applied = results.map((r) => r.applied);
    expect(applied).toContainEqual(fixtureNames);
    expect(applied).toContainEqual([]);
    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(fixtureNames);
  });

  it('shares its history with Prisma’s own engine, both ways', async () => {
    const engineApply = async (url: string): Promise<unknown> => {
      const script = `
        import { openSchemaEngine, readMigrationList } from './tools/scripts/lib/schema-engine.mjs';
        const engine = await openSchemaEngine({ url: process.env.TARGET_URL });
        try {
          const out = await engine.applyMigrations(readMigrationList(process.env.MIGRATIONS_DIR));
          process.stdout.write(JSON.stringify(out));
        } finally { await engine.close(); }
        process.exit(0); // the engine leaves its 10 s advisory-lock timeout timer pending`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: REPO_ROOT,
        env: { ...process.env, TARGET_URL: url, MIGRATIONS_DIR: FIXTURE_MIGRATIONS },
      });
      return JSON.parse(stdout);
    };

    // ours first, then Prisma's engine (migrate deploy) finds nothing to do
    const ours = await freshDatabase();
    await applyMigrations({ databaseUrl: ours.url, migrationsDir: FIXTURE_MIGRATIONS });
    expect(await engineApply(ours.url)).toEqual({ appliedMigrationNames: [] });
    expect(await history(ours.url)).toHaveLength(fixtureNames.length);

    // Prisma's engine first, then ours finds nothing to do and nothing to warn about
    const theirs = await freshDatabase();
    expect(await engineApply(theirs.url)).toEqual({ appliedMigrationNames: fixtureNames });
    const warnings: string[] = [];
    const result = await applyMigrations({
      databaseUrl: theirs.url,
      migrationsDir: FIXTURE_MIGRATIONS,
      logger: { log: () => undefined, warn: (m) => warnings.push(m) },
    });
    expect(result.applied).toEqual([]);
    expect(warnings).toEqual([]);
  });

  describe('with a failing migration', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'db-migrations-'));
      cpSync(FIXTURE_MIGRATIONS, dir, { recursive: true });
      mkdirSync(path.join(dir, '29991231235959_broken'));
      writeFileSync(
        path.join(dir, '29991231235959_broken', 'migration.sql'),
        'CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n',
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('rolls the failed script back, records the failure, and blocks until it is marked rolled back', async () => {
      const db = await freshDatabase();
      await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(
        /Migration 29991231235959_broken failed: relation "no_such_table" does not exist/,
      );
      const rows = await history(db.url);
      expect(rows.map((r) => [r.migration_name, r.finished_at === null])).toEqual([
        ...fixtureNames.map((name) => [name, false]),
        ['29991231235959_broken', true],
      ]);
      expect(rows.at(-1)?.logs).toContain('no_such_table');
      // one implicit transaction: the first statement of the failed script is gone too
      expect(await query(db.url, `SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`)).toEqual([]);

      await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(/P3009/);

      writeFileSync(path.join(dir, '29991231235959_broken', 'migration.sql'), 'CREATE TABLE "half_done" (id int);\n');
      await query(db.url, `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE finished_at IS NULL`);
      const retry = await applyMigrations({ databaseUrl: db.url, migrationsDir: dir });
      expect(retry.applied).toEqual(['29991231235959_broken']);
    });
  });

  it('reports a missing migrations folder clearly', async () => {
    await expect(
      applyMigrations({ databaseUrl: 'postgres://unused', migrationsDir: path.join(tmpdir(), 'does-not-exist') }),
    ).rejects.toThrow(/Migrations folder not found/);
  });
});
