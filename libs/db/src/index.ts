export { createPgAdapter, pgPoolConfig, type PgAdapterOptions } from './adapter';
export {
  applyMigrations,
  PRISMA_MIGRATE_ADVISORY_LOCK_KEY,
  type ApplyMigrationsOptions,
  type ApplyMigrationsResult,
  type MigrationLogger,
} from './apply-migrations';
export { migrationChecksum, readMigrationsDir, type MigrationFile } from './migrations-dir';
export { createPgDatabase, PgDatabase, TransactionTimeoutError, type PgExecutor, type PgTransactionOptions } from './pg-database';
