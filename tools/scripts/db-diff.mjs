#!/usr/bin/env node
// Prints the SQL that takes a database from a source to a prisma schema, computed by Prisma's wasm schema engine.
//
//   node tools/scripts/db-diff.mjs --schema <path/to/schema.prisma> --from-empty
//   node tools/scripts/db-diff.mjs --schema <path/to/schema.prisma> --from-migrations [--exit-code]
//
// --from-migrations replays the committed migrations (prisma/migrations next to the schema) into a
// throw-away shadow database on DATABASE_URL (default: the local infra's PostgreSQL) and diffs that.
// --exit-code: exit 2 when the diff is not empty (e.g. "a migration is missing"), 0 otherwise.
import path from 'node:path';
import { openSchemaEngine, parseArgs, readMigrationList, readSchemaFiles, target } from './lib/schema-engine.mjs';

async function main() {
  const args = parseArgs(process.argv.slice(2), ['from-empty', 'from-migrations', 'exit-code', 'debug']);
  if (!args.schema || args['from-empty'] === args['from-migrations']) {
    throw new Error('usage: db-diff.mjs --schema <schema.prisma> (--from-empty | --from-migrations) [--exit-code]');
  }
  const schemaFiles = readSchemaFiles(args.schema);
  const migrationsDir = path.join(path.dirname(path.resolve(args.schema)), 'migrations');
  const list = readMigrationList(migrationsDir);
  const fromEmpty = Boolean(args['from-empty']) || list.migrationDirectories.length === 0;
  const engine = await openSchemaEngine({ schemaFiles, debug: Boolean(args.debug), offline: fromEmpty });
  try {
    const from = fromEmpty ? target.empty() : target.migrations(list);
    const { sql, changed } = await engine.diff(from, target.schema(schemaFiles));
    process.stdout.write(sql);
    if (args['exit-code'] && changed) process.exitCode = 2;
  } finally {
    await engine.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
