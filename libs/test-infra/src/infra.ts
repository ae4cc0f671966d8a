/** The broker and database server given to integration tests by tools/jest/int-global-setup.cjs. */
export interface TestInfra {
  /** host:port of the Kafka bootstrap servers. */
  kafkaBrokers: string[];
  /** URL of a PostgreSQL database the tests may use as admin (CREATE DATABASE, DROP DATABASE). */
  adminDatabaseUrl: string;
}

/** Reads KAFKA_BROKERS and DATABASE_URL; throws a readable error when the global setup did not run. */
export function testInfra(): TestInfra {
  const brokers = process.env['KAFKA_BROKERS'];
  const databaseUrl = process.env['DATABASE_URL'];
  const missing = [brokers ? undefined : 'KAFKA_BROKERS', databaseUrl ? undefined : 'DATABASE_URL'].filter(
    (name): name is string => name !== undefined,
  );
  if (missing.length > 0 || !brokers || !databaseUrl) {
    throw new Error(
      `${missing.join(' and ')} not set: integration tests get their broker and database from ` +
        'tools/jest/int-global-setup.cjs. Run them through the int-test target (e.g. `npx nx run testing:int-test`), ' +
        'or set KAFKA_BROKERS and DATABASE_URL yourself.',
    );
  }
  const kafkaBrokers = brokers
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (kafkaBrokers.length === 0) throw new Error(`KAFKA_BROKERS holds no broker address: "${brokers}"`);
  return { kafkaBrokers, adminDatabaseUrl: databaseUrl };
}
