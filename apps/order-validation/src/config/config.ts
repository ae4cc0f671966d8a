import { z } from 'zod';
import { serviceNamed } from '@shop/contracts';
import { env, parseEnv, serviceConfig, serviceEnv, type ServiceConfig } from '@shop/nest-platform';
import { FAILPOINTS, type Failpoint } from '../orders/application/orders.settings';

// The default port is the services manifest's (libs/contracts), the one list of services and their ports.
export const DEFAULT_PORT = serviceNamed('order-validation').port;

const shape = {
  ...serviceEnv(DEFAULT_PORT),
  /** Orders of concurrent requests recorded and produced together at most (group commit). */
  INTAKE_MAX_BATCH: env.count(500).pipe(z.number().min(1, 'must be at least 1')),
  /** How often the outbox relay publishes orders recorded but not acknowledged (crash, broker outage). */
  OUTBOX_RELAY_INTERVAL_MS: env.count(1000).pipe(z.number().min(50, 'must be at least 50')),
  /** The relay leaves an order this long to the request that recorded it. */
  OUTBOX_GRACE_MS: env.count(3000),
  /**
   * How far ahead of this service's clock a request's placedAt may be (clients' clocks drift): an order "placed"
   * in the year 3000 would be validated, shipped and counted in a year-3000 window. Past times stay accepted
   * (imports of older orders); the topics are kept forever, so a rebuild still sees them.
   */
  MAX_PLACED_AT_AHEAD_MS: env.count(5 * 60_000, 24 * 3600_000),
  /** Test-only fault injection: exit-after-outbox-write SIGKILLs the process between the outbox write and the produce. */
  FAILPOINT: z.enum(FAILPOINTS, { error: `must be one of: ${FAILPOINTS.filter(Boolean).join(', ')}` }).default(''),
};

export interface OrderValidationConfig extends ServiceConfig {
  readonly intakeMaxBatch: number;
  readonly outboxRelayIntervalMs: number;
  readonly outboxGraceMs: number;
  readonly failpoint: Failpoint;
  readonly maxPlacedAtAheadMs: number;
}

/** The service's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): OrderValidationConfig {
  const e = parseEnv('order-validation', shape, source);
  return {
    ...serviceConfig(e),
    intakeMaxBatch: e.INTAKE_MAX_BATCH,
    outboxRelayIntervalMs: e.OUTBOX_RELAY_INTERVAL_MS,
    outboxGraceMs: e.OUTBOX_GRACE_MS,
    failpoint: e.FAILPOINT,
    maxPlacedAtAheadMs: e.MAX_PLACED_AT_AHEAD_MS,
  };
}
