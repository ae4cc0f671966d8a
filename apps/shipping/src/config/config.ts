import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

/**
 * shipping reads the common service variables only (@shop/nest-platform's serviceEnv: KAFKA_BROKERS,
 * DATABASE_URL, PORT (3002), TOPIC_PREFIX, LOG_LEVEL, HEALTH_MAX_LAG, JOIN_CATCH_UP_MS). Every bad or missing
 * variable is listed in one ConfigError.
 */
export { ConfigError } from '@shop/nest-platform';

export const DEFAULT_PORT = 3002;

export type ShippingConfig = ServiceConfig;

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): ShippingConfig {
  return serviceConfig(parseEnv('shipping', serviceEnv(DEFAULT_PORT), source));
}
