import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

export const DEFAULT_PORT = 3003;

/** fraud-detection reads the common service variables only (serviceEnv, JOIN_CATCH_UP_MS included). */
export type FraudDetectionConfig = ServiceConfig;

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): FraudDetectionConfig {
  return serviceConfig(parseEnv('fraud-detection', serviceEnv(DEFAULT_PORT), source));
}
