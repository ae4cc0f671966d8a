import { serviceNamed } from '@shop/contracts';
import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

/**
 * shipping reads the common service variables only (@shop/nest-platform's serviceEnv: KAFKA_BROKERS,
 * DATABASE_URL, PORT (the manifest's, 3002), TOPIC_PREFIX, LOG_LEVEL, HEALTH_MAX_LAG, JOIN_CATCH_UP_MS). Every bad
 * or missing variable is listed in one ConfigError.
 */
export { ConfigError } from '@shop/nest-platform';

// The default port is the services manifest's (libs/contracts), the one list of services and their ports.
export const DEFAULT_PORT = serviceNamed('shipping').port;

export type ShippingConfig = ServiceConfig;

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): ShippingConfig {
  return serviceConfig(parseEnv('shipping', serviceEnv(DEFAULT_PORT), source));
}
