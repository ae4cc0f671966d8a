import { z } from 'zod';
import { serviceNamed } from '@shop/contracts';
import { parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

/**
 * shipping reads the common service variables (@shop/nest-platform's serviceEnv: KAFKA_BROKERS,
 * DATABASE_URL, PORT (the manifest's, 3002), TOPIC_PREFIX, LOG_LEVEL, HEALTH_MAX_LAG) and USERS_CATCH_UP_MS: how long a
 * chunk of verdicts waits for the users view to catch up with the `users` topic before it is joined
 * (default 30 000; it runs inside the chunk's transaction, whose timeout is 60 s). Every bad or missing
 * variable is listed in one ConfigError.
 */
export { ConfigError } from '@shop/nest-platform';

// The default port is the services manifest's (libs/contracts), the one list of services and their ports.
export const DEFAULT_PORT = serviceNamed('shipping').port;
const MAX_USERS_CATCH_UP_MS = 50_000;

const shippingShape = {
  ...serviceEnv(DEFAULT_PORT),
  // The wait runs inside the chunk's transaction (60 s timeout): leave room for the writes.
  USERS_CATCH_UP_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(0, 'must be 0 or more')
    .max(MAX_USERS_CATCH_UP_MS, `must be at most ${MAX_USERS_CATCH_UP_MS}`)
    .default(30_000),
};

export interface ShippingConfig extends ServiceConfig {
  readonly usersCatchUpMs: number;
}

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): ShippingConfig {
  const e = parseEnv('shipping', shippingShape, source);
  return { ...serviceConfig(e), usersCatchUpMs: e.USERS_CATCH_UP_MS };
}
