#!/usr/bin/env node
// Creates the next migration of a Prisma schema: the SQL that takes the database from the committed
// migrations to schema.prisma, written to prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql.
//
//   npm run db:migration -- --schema apps/shipping/prisma/schema.prisma --name add_shipments [--empty]
//
// With no migrations yet the SQL is "empty → schema" (no database needed). Otherwise the committed
// migrations are replayed into a throw-away shadow database on DATABASE_URL (an admin URL; default: the
// local infra's postgres://postgres:postgres@127.0.0.1:55432/postgres) and the result is diffed against the
// schema by Prisma's wasm schema engine. --empty creates an empty migration for hand-written SQL.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  adminUrl,
  MIGRATION_LOCK_TOML,
  openSchemaEngine,
  parseArgs,
  readMigrationList,
  readSchemaFiles,
  target,
} from './lib/schema-engine.mjs';

function timestamp(date) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(
    date.getUTCMinutes(),
  )}${p(date.getUTCSeconds())}`;
}

/** A folder name later than every existing one (Prisma applies migrations in lexicographic order). */
function nextMigrationName(existing, name) {
  let date = new Date();
  const last = existing.at(-1);
  while (last && `${timestamp(date)}_` <= last.slice(0, 15)) date = new Date(date.getTime() + 1000);
  return `${timestamp(date)}_${name}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2), ['empty', 'debug']);
  if (!args.schema || !args.name) {
    throw new Error('usage: npm run db:migration -- --schema <path/to/schema.prisma> --name <name> [--empty]');
  }
  const name = args.name
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!name) throw new Error(`Invalid migration name: ${args.name}`);
  if (!existsSync(args.schema)) throw new Error(`No such schema: ${args.schema}`);

  const schemaFiles = readSchemaFiles(args.schema);
  const migrationsDir = path.join(path.dirname(path.resolve(args.schema)), 'migrations');
  const list = readMigrationList(migrationsDir);
  const existing = list.migrationDirectories.map((d) => d.path);
  if (existing.length > 0 && list.lockfile.content === null) {
    throw new Error(`${migrationsDir} has migrations but no migration_lock.toml`);
  }

  let sql = '-- This is an empty migration.\n';
  if (!args.empty) {
    const offline = existing.length === 0;
    const engine = await openSchemaEngine({ schemaFiles, debug: Boolean(args.debug), offline });
    try {
      const from = existing.length === 0 ? target.empty() : target.migrations(list);
      if (existing.length > 0) console.error(`Replaying ${existing.length} migration(s) in a shadow database on ${redact(adminUrl())}`);
      const diff = await engine.diff(from, target.schema(schemaFiles));
      if (!diff.changed) {
        console.error(
          'No changes: the committed migrations already match schema.prisma. Nothing created (use --empty for a hand-written migration).',
        );
        return;
      }
      sql = diff.sql;
    } finally {
      await engine.close();
    }
  }

  const folder = nextMigrationName(existing, name);
  mkdirSync(path.join(migrationsDir, folder), { recursive: true });
  writeFileSync(path.join(migrationsDir, folder, 'migration.sql'), sql);
  if (list.lockfile.content === null) writeFileSync(path.join(migrationsDir, 'migration_lock.toml'), MIGRATION_LOCK_TOML);
  console.log(path.relative(process.cwd(), path.join(migrationsDir, folder, 'migration.sql')));
}

function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
