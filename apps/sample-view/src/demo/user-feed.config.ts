import { z } from 'zod';
import { env, parseEnv, type LogLevel } from '@shop/nest-platform';

const userFeedShape = {
  KAFKA_BROKERS: env.brokers(),
  TOPIC_PREFIX: env.topicPrefix(),
  LOG_LEVEL: env.logLevel(),
  /** Changes per second. */
  RATE: z.coerce.number({ error: 'must be a number' }).positive('must be more than 0').max(10_000, 'must be at most 10000').default(5),
  /** PRNG seed; the same seed replays the same users and changes. Default: derived from the clock (logged). */
  SEED: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be 0 or more').optional(),
  /** Stop after this many changes (default: run until stopped). */
  MAX_EVENTS: z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be more than 0').optional(),
  /** Above this many live users the feed mostly updates and deletes. */
  TARGET_USERS: z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be more than 0').default(500),
};

export interface UserFeedConfig {
  readonly kafkaBrokers: readonly string[];
  readonly topicPrefix: string;
  readonly logLevel: LogLevel;
  readonly rate: number;
  readonly seed: number;
  readonly maxEvents: number | undefined;
  readonly targetUsers: number;
}

export function loadUserFeedConfig(
  source: Readonly<Record<string, string | undefined>> = process.env,
  now: () => number = Date.now,
): UserFeedConfig {
  const e = parseEnv('user-feed', userFeedShape, source);
  return {
    kafkaBrokers: e.KAFKA_BROKERS,
    topicPrefix: e.TOPIC_PREFIX,
    logLevel: e.LOG_LEVEL,
    rate: e.RATE,
    seed: e.SEED ?? now() % 1_000_000,
    maxEvents: e.MAX_EVENTS,
    targetUsers: e.TARGET_USERS,
  };
}
