import { serviceNamed } from '@shop/contracts';
import { env, parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';

// The default port is the services manifest's (libs/contracts), the one list of services and their ports.
export const DEFAULT_PORT = serviceNamed('fraud-detection').port;

const shape = {
  ...serviceEnv(DEFAULT_PORT),
  /** Bounded wait (ms) for the users view to catch up before a chunk of verdicts is joined against it. */
  USERS_CATCH_UP_MS: env.count(30_000),
};

export interface FraudDetectionConfig extends ServiceConfig {
  readonly usersCatchUpMs: number;
}

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): FraudDetectionConfig {
  const e = parseEnv('fraud-detection', shape, source);
  return { ...serviceConfig(e), usersCatchUpMs: e.USERS_CATCH_UP_MS };
}
