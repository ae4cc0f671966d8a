import { serviceNamed } from '@shop/contracts';
import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

/**
 * customer-profiles reads the common service variables only (@shop/nest-platform's serviceEnv: KAFKA_BROKERS,
 * DATABASE_URL, PORT (the manifest's, 3005), TOPIC_PREFIX, LOG_LEVEL, HEALTH_MAX_LAG, JOIN_CATCH_UP_MS). Every bad
 * or missing variable is listed in one ConfigError.
 */
export { ConfigError } from '@shop/nest-platform';

// The default port is the services manifest's (libs/contracts), the one list of services and their ports.
export const DEFAULT_PORT = serviceNamed('customer-profiles').port;

export type CustomerProfilesConfig = ServiceConfig;

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): CustomerProfilesConfig {
  return serviceConfig(parseEnv('customer-profiles', serviceEnv(DEFAULT_PORT), source));
}
