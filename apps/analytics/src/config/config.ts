import { z } from 'zod';
import { serviceNamed } from '@shop/contracts';
import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';
import { parseWatchedServices, type WatchedService } from '../dashboard/service-watch';

export { ConfigError } from '@shop/nest-platform';

/**
 * analytics reads the common service variables (@shop/nest-platform's serviceEnv: KAFKA_BROKERS, DATABASE_URL,
 * PORT (the services manifest's, 3004), TOPIC_PREFIX, LOG_LEVEL, HEALTH_MAX_LAG, JOIN_CATCH_UP_MS) and
 * DASHBOARD_SERVICES. Every bad or missing variable is listed in one ConfigError.
 */
export const DEFAULT_PORT = serviceNamed('analytics').port;

const analyticsShape = {
  ...serviceEnv(DEFAULT_PORT),
  /** The dashboard's operations table: `name=url,…` of services whose /health/live and /health/ready it shows. */
  DASHBOARD_SERVICES: z
    .string()
    .default('')
    .superRefine((raw, ctx) => {
      try {
        parseWatchedServices(raw);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `must be name=url pairs, comma-separated: ${(error as Error).message}` });
      }
    }),
};

export interface AnalyticsConfig extends ServiceConfig {
  readonly dashboardServices: readonly WatchedService[];
}

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): AnalyticsConfig {
  const e = parseEnv('analytics', analyticsShape, source);
  return { ...serviceConfig(e), dashboardServices: parseWatchedServices(e.DASHBOARD_SERVICES) };
}
