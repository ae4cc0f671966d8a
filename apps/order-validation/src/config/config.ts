import { env, parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

export const DEFAULT_PORT = 3001;

const shape = {
  ...serviceEnv(DEFAULT_PORT),
  /** Longest wait of the orders processor for the users view to catch up before it judges a chunk (stream–table join). */
  USERS_CATCH_UP_MS: env.count(20_000),
};

export interface OrderValidationConfig extends ServiceConfig {
  readonly usersCatchUpMs: number;
}

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): OrderValidationConfig {
  const e = parseEnv('order-validation', shape, source);
  return { ...serviceConfig(e), usersCatchUpMs: e.USERS_CATCH_UP_MS };
}
