import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One committed migration: `prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql`. */
export interface MigrationFile {
  /** Folder name, e.g. `20250101120000_init`; Prisma's `migration_name`. */
  name: string;
  script: string;
  /** Prisma's checksum: SHA-256 of the script's bytes, lowercase hex. */
  checksum: string;
}

/** Prisma's `_prisma_migrations.checksum` of a migration script. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Reads a Prisma migrations folder in Prisma's order (folder names, lexicographically). Throws when the
 * folder is missing or a migration folder has no migration.sql, like `prisma migrate deploy`.
 */
export function readMigrationsDir(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir) || !statSync(migrationsDir).isDirectory()) {
    throw new Error(`Migrations folder not found: ${migrationsDir}`);
  }
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(path.join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql (${file})`);
      const script = readFileSync(file, 'utf8');
      return { name, script, checksum: migrationChecksum(script) };
    });
}
