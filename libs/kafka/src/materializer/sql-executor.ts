/**
 * What the materializer needs from a database client. A generated PrismaClient satisfies it (its
 * interactive transaction client too), so views run their set-based SQL through Prisma's raw query API.
 * Parameters are passed as strings or arrays of strings and cast in SQL (`$1::bigint[]`): that is
 * independent of how a driver adapter maps JS types.
 */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

export interface TransactionalDatabase extends SqlExecutor {
  $transaction<R>(fn: (tx: SqlExecutor) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
}
