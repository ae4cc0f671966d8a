import { serviceNamed } from '@shop/contracts';
import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

// The default port is the services manifest's (libs/contracts), the one list of services and their ports.
export const DEFAULT_PORT = serviceNamed('fraud-detection').port;

/** fraud-detection reads the common service variables only (serviceEnv, JOIN_CATCH_UP_MS included). */
export type FraudDetectionConfig = ServiceConfig;

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): FraudDetectionConfig {
  return serviceConfig(parseEnv('fraud-detection', serviceEnv(DEFAULT_PORT), source));
}
