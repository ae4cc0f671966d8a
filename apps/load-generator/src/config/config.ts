import { z } from 'zod';
import type { KafkaSecurity } from '@shop/kafka';
import { env, kafkaSecurityEnv, kafkaSecurityOf, parseEnv, type LogLevel } from '@shop/nest-platform';

import { ConfigError } from '@shop/nest-platform';

export { ConfigError };

const whole = (min: number, fallback: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be ${min} or more`).default(fallback);

const isHttpUrl = (raw: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(raw).protocol);
  } catch {
    return false;
  }
};

const loadGeneratorShape = {
  /** Base URL of order-validation, or several comma-separated (instances: requests spread and fail over). */
  ORDER_VALIDATION_URL: z
    .string({ error: 'is required (base URL of order-validation, e.g. http://127.0.0.1:3001)' })
    .refine(
      (raw) => raw.split(',').every((u) => isHttpUrl(u.trim())),
      'must be an http(s) URL such as http://127.0.0.1:3001 (or several, comma-separated)',
    ),
  /**
   * How users come into being. `topic` (default): produced directly to `<prefix>users` in the CDC format with
   * the scenario's own `created_at` — the oracle-exact mode the system test relies on. `monolith`: created and
   * changed through the legacy monolith's HTTP API (MONOLITH_URL), reaching the topic through CDC; the
   * monolith stamps `created_at` with real time, so the oracle is not exact there (the demo mode).
   */
  USERS_VIA: z.enum(['topic', 'monolith'], { error: 'must be topic or monolith' }).default('topic'),
  /** `scenario` (default): the scenario's event times; `wall`: placedAt = when the order is sent (live demo). */
  EVENT_TIME: z.enum(['scenario', 'wall'], { error: 'must be scenario or wall' }).default('scenario'),
  /** Base URL of the legacy monolith; required when USERS_VIA=monolith. */
  MONOLITH_URL: z.string().refine(isHttpUrl, 'must be an http(s) URL such as http://127.0.0.1:3000').optional(),
  KAFKA_BROKERS: env.brokers(),
  /** Its Kafka principal (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SSL). */
  ...kafkaSecurityEnv(),
  TOPIC_PREFIX: env.topicPrefix(),
  LOG_LEVEL: env.logLevel(),
  /** PRNG seed: the same seed gives the same users, orders and oracle. */
  SEED: whole(0, 1),
  USERS: whole(30, 300),
  ORDERS: whole(150, 3000),
  /** Orders per second; 0 = as fast as CONCURRENCY allows. */
  RATE: z.coerce
    .number({ error: 'must be a number' })
    .min(0, 'must be 0 (as fast as possible) or more')
    .max(100_000, 'must be at most 100000')
    .default(0),
  /** POSTs in flight at once. */
  CONCURRENCY: whole(1, 8).pipe(z.number().max(256, 'must be at most 256')),
  /** Attempts per order request (5xx, 429 and connection errors are retried with the same Idempotency-Key, backoff ≤ 2 s). */
  HTTP_ATTEMPTS: whole(1, 8).pipe(z.number().max(1000, 'must be at most 1000')),
  /** Write the oracle (what every view must end up holding) as JSON to this path. */
  ORACLE_OUT: z.string().optional(),
  /** Orders written straight to the orders topic as OrderPlaced v1 (history from before v2) instead of posted. */
  V1_ORDERS: whole(0, 0),
};

export interface LoadGeneratorConfig {
  readonly orderValidationUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly kafkaSecurity: KafkaSecurity;
  readonly topicPrefix: string;
  readonly logLevel: LogLevel;
  readonly seed: number;
  readonly users: number;
  readonly orders: number;
  readonly rate: number;
  readonly concurrency: number;
  readonly httpAttempts: number;
  readonly oracleOut: string | undefined;
  readonly usersVia: 'topic' | 'monolith';
  readonly eventTime: 'scenario' | 'wall';
  readonly monolithUrl: string | undefined;
  readonly v1Orders: number;
}

/** The load generator's configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(source: Readonly<Record<string, string | undefined>> = process.env): LoadGeneratorConfig {
  const e = parseEnv('load-generator', loadGeneratorShape, source);
  if (e.USERS_VIA === 'monolith' && !e.MONOLITH_URL) {
    throw new ConfigError('load-generator', [
      'MONOLITH_URL: is required when USERS_VIA=monolith (base URL of the legacy monolith, e.g. http://127.0.0.1:3000)',
    ]);
  }
  return {
    orderValidationUrl: e.ORDER_VALIDATION_URL.split(',')
      .map((u) => u.trim().replace(/\/+$/, ''))
      .join(','),
    kafkaBrokers: e.KAFKA_BROKERS,
    kafkaSecurity: kafkaSecurityOf(e),
    topicPrefix: e.TOPIC_PREFIX,
    logLevel: e.LOG_LEVEL,
    seed: e.SEED,
    users: e.USERS,
    orders: e.ORDERS,
    rate: e.RATE,
    concurrency: e.CONCURRENCY,
    httpAttempts: e.HTTP_ATTEMPTS,
    oracleOut: e.ORACLE_OUT,
    usersVia: e.USERS_VIA,
    eventTime: e.EVENT_TIME,
    monolithUrl: e.MONOLITH_URL?.replace(/\/+$/, ''),
    v1Orders: e.V1_ORDERS,
  };
}
