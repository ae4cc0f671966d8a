/** The broker and database server given to integration tests by tools/jest/int-global-setup.cjs. */
export interface TestInfra {
  /** host:port of the Kafka bootstrap servers. */
  kafkaBrokers: string[];
  /**
   * What a process needs to reach those brokers, as environment variables: KAFKA_BROKERS, and the admin principal's
   * KAFKA_SASL_MECHANISM / KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD when the brokers ask for SASL (the local infra's
   * listener does). For a service's configuration or a child process; a test's own client reads the same variables
   * with kafkaSecurityFromEnv().
   */
  kafkaEnv: Record<string, string>;
  /** URL of a PostgreSQL database the tests may use as admin (CREATE DATABASE, DROP DATABASE). */
  adminDatabaseUrl: string;
}

const SECURITY_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL'] as const;

/** Reads KAFKA_BROKERS, the KAFKA_SASL_* / KAFKA_SSL variables and DATABASE_URL; throws a readable error when the global setup did not run. */
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
  const kafkaEnv: Record<string, string> = { KAFKA_BROKERS: kafkaBrokers.join(',') };
  for (const name of SECURITY_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined && value.trim() !== '') kafkaEnv[name] = value;
  }
  return { kafkaBrokers, kafkaEnv, adminDatabaseUrl: databaseUrl };
}
