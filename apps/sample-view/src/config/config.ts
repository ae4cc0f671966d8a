import { serviceNamed } from '@shop/contracts';
import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

/**
 * sample-view reads only the common service variables (@shop/nest-platform's serviceEnv): KAFKA_BROKERS,
 * DATABASE_URL, PORT (the services manifest's, 3100), TOPIC_PREFIX, LOG_LEVEL, HEALTH_MAX_LAG. Every bad or missing variable is listed
 * in one ConfigError.
 */
export { ConfigError } from '@shop/nest-platform';

export const DEFAULT_PORT = serviceNamed('sample-view').port;

const sampleViewShape = serviceEnv(DEFAULT_PORT);

export type SampleViewConfig = ServiceConfig;

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): SampleViewConfig {
  return serviceConfig(parseEnv('sample-view', sampleViewShape, source));
}
