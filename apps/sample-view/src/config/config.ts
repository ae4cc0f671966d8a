import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

/**
 * sample-view reads only the common service variables (@shop/nest-platform's serviceEnv): KAFKA_BROKERS,
 * DATABASE_URL, PORT (3100), TOPIC_PREFIX, LOG_LEVEL, HEALTH_MAX_LAG. Every bad or missing variable is listed
 * in one ConfigError.
 */
export { ConfigError } from '@shop/nest-platform';

const sampleViewShape = serviceEnv(3100);

export type SampleViewConfig = ServiceConfig;

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): SampleViewConfig {
  return serviceConfig(parseEnv('sample-view', sampleViewShape, source));
}
