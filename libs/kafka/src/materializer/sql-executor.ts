/**
 * What the materializer needs from a database client: Prisma's raw-query call shape. The services run their
 * views on @shop/db's PgDatabase (node-postgres); a generated PrismaClient satisfies it too (its interactive
 * transaction client as well). Parameters are passed as strings or arrays of strings and cast in SQL
 * (`$1::bigint[]`), and what is read back is cast to text where its JS type matters: that is independent
 * of how a client maps types.
 */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

export interface TransactionalDatabase extends SqlExecutor {
  $transaction<R>(fn: (tx: SqlExecutor) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
}
