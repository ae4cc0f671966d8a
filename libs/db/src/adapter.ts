import { PrismaPg } from '@prisma/adapter-pg';
import type { PoolConfig } from 'pg';

export interface PgAdapterOptions {
  /** Maximum connections in the pool (pg's `max`). Default 10. */
  poolSize?: number;
  /** Idle connections are closed after this many ms. Default 30 s. */
  idleTimeoutMs?: number;
  /** Give up connecting after this many ms. Default 10 s. */
  connectionTimeoutMs?: number;
  /** PostgreSQL schema used by the generated queries (adapter-pg's `schema`); default: the search_path. */
  schema?: string;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Called when an idle pooled connection fails (e.g. the server restarted). */
  onPoolError?: (error: Error) => void;
}

/** The pg Pool configuration every service uses. */
export function pgPoolConfig(databaseUrl: string, options: PgAdapterOptions = {}): PoolConfig {
  if (!databaseUrl) throw new Error('databaseUrl is required (e.g. process.env.DATABASE_URL)');
  return {
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  };
}

/**
 * The driver adapter for a generated Prisma 7 client:
 *   new PrismaClient({ adapter: createPgAdapter(process.env.DATABASE_URL, { poolSize: 10 }) })
 * The adapter owns its pool: `prisma.$disconnect()` closes it.
 */
export function createPgAdapter(databaseUrl: string, options: PgAdapterOptions = {}): PrismaPg {
  return new PrismaPg(pgPoolConfig(databaseUrl, options), {
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
  });
}
