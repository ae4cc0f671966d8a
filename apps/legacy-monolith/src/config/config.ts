import { serviceNamed } from '@shop/contracts';
import { env, parseEnv, type LogLevel } from '@shop/nest-platform';

/**
 * The monolith has no Kafka, so it does not use serviceEnv() of @shop/nest-platform (which requires
 * KAFKA_BROKERS): it composes the same variable schemas it needs. Every bad or missing variable is listed in
 * one ConfigError (exit 78 through bootstrapService).
 */
export { ConfigError } from '@shop/nest-platform';

// The default port is the services manifest's (libs/contracts), the one list of services and their ports.
export const DEFAULT_PORT = serviceNamed('legacy-monolith').port;

const legacyMonolithShape = {
  DATABASE_URL: env.postgresUrl(),
  PORT: env.port(DEFAULT_PORT),
  LOG_LEVEL: env.logLevel(),
};

export interface LegacyMonolithConfig {
  readonly databaseUrl: string;
  readonly port: number;
  readonly logLevel: LogLevel;
}

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): LegacyMonolithConfig {
  const e = parseEnv('legacy-monolith', legacyMonolithShape, source);
  return { databaseUrl: e.DATABASE_URL, port: e.PORT, logLevel: e.LOG_LEVEL };
}
