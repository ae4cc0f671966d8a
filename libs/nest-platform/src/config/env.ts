import { kafkaSecurityFromEnv, kafkaSecurityProblems, type KafkaSecurity } from '@shop/kafka';
import { z } from 'zod';

/**
 * Environment parsing shared by the services and their scripts: zod schemas per variable, and one error
 * that lists every bad or missing variable at once (so a deployment is fixed in one go, not one by one).
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration (environment variables):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** Reusable variable schemas. Empty strings count as unset, as in most shells' `FOO= cmd`. */
export const env = {
  brokers: () =>
    z
      .string({ error: 'is required (comma-separated host:port list, e.g. 127.0.0.1:19092)' })
      .transform((raw) =>
        raw
          .split(',')
          .map((b) => b.trim())
          .filter((b) => b.length > 0),
      )
      .pipe(
        z
          .array(z.string().regex(HOST_PORT, 'each broker must be host:port'))
          .min(1, 'is required (comma-separated host:port list, e.g. 127.0.0.1:19092)'),
      ),
  postgresUrl: () =>
    z
      .string({ error: 'is required (e.g. postgres://user:password@host:5432/database)' })
      .refine((raw) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(raw), 'must be a postgres:// URL that names a database'),
  port: (fallback: number) =>
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(fallback),
  topicPrefix: () =>
    z
      .string()
      .regex(/^[A-Za-z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"')
      .max(100)
      .default(''),
  logLevel: () => z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('log'),
  /**
   * A replica count (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS), optional: checked here with the other
   * variables at start; @shop/kafka's provisionTopics reads them (topicReplicationFromEnv) when it creates topics.
   */
  replicas: () =>
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(32_767, 'must be at most 32767')
      .optional(),
  /** A secret of at least 16 printable characters without spaces (ADMIN_TOKEN), optional. */
  secret: () =>
    z
      .string()
      .regex(/^[\x21-\x7e]+$/, 'may only contain printable ASCII without spaces')
      .min(16, 'must be at least 16 characters')
      .optional(),
  /** Optional text (a Kafka principal's name, KAFKA_SSL); checked with its companions in parseEnv. */
  text: () => z.string().max(255, 'must be at most 255 characters').optional(),
  /** A whole number ≥ 0 with a default (counts, tolerances such as HEALTH_MAX_LAG). */
  count: (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(0, 'must be 0 or more')
      .max(max, `must be at most ${max}`)
      .default(fallback),
};

/** A join's wait runs inside the chunk's transaction (60 s timeout): leave room for the writes. */
const MAX_JOIN_CATCH_UP_MS = 50_000;

const SECRET_NAME = /TOKEN|SECRET|PASSWORD/;

/** Parses `source` with `shape`; throws ConfigError naming every variable that is wrong and why. */
export function parseEnv<TShape extends z.ZodRawShape>(
  service: string,
  shape: TShape,
  source: Readonly<Record<string, string | undefined>>,
): z.infer<z.ZodObject<TShape>> {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const value = source[name];
    input[name] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  const parsed = z.object(shape).safeParse(input);
  // Variables that only make sense together (the Kafka principal), once each is valid on its own.
  const together = 'KAFKA_SASL_MECHANISM' in shape ? kafkaSecurityProblems(input) : [];
  if (parsed.success && together.length === 0) return parsed.data;
  const issues = parsed.success ? [] : parsed.error.issues;
  const problems = issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const value = input[name];
    // A secret's value stays out of error output (logs, CI): only its length.
    const shown = value === undefined ? 'missing' : SECRET_NAME.test(name) ? `got ${value.length} characters` : `got "${value}"`;
    return `${name} ${issue.message} (${shown})`;
  });
  throw new ConfigError(service, [...problems, ...together]);
}

/**
 * The variables every service reads. Compose your own schema from it:
 *   const shape = { ...serviceEnv(3200), DASHBOARD_SERVICES: env.serviceUrls() };
 */
export function serviceEnv(defaultPort: number) {
  return {
    KAFKA_BROKERS: env.brokers(),
    /** Copies of each topic partition the service creates; unset: the broker's default (see @shop/kafka topic-replication). */
    KAFKA_REPLICATION_FACTOR: env.replicas(),
    /** In-sync copies an acks=all write needs; unset: 2 with a factor of 3 or more, else 1 (or the broker's default). */
    KAFKA_MIN_INSYNC_REPLICAS: env.replicas(),
    DATABASE_URL: env.postgresUrl(),
    PORT: env.port(defaultPort),
    TOPIC_PREFIX: env.topicPrefix(),
    LOG_LEVEL: env.logLevel(),
    /** /health stays 200 while every view trails the log by at most this many records (a live stream is never at 0 for long). */
    HEALTH_MAX_LAG: env.count(100),
    /** The bounded wait of a stream–table join (a @ViewHandler's `joins`) for the joined views, per chunk. */
    JOIN_CATCH_UP_MS: env.count(20_000, MAX_JOIN_CATCH_UP_MS),
    /** Bearer token of /admin/* (rebuilds, dead-letter replay); unset, those endpoints answer 401. */
    ADMIN_TOKEN: env.secret(),
    ...kafkaSecurityEnv(),
  };
}

/**
 * Who a Kafka client is to the brokers (parseEnv checks them together, see @shop/kafka kafka-security): a SASL
 * mechanism with both credentials, or none; and TLS. Part of serviceEnv; spread it into a script's own schema.
 */
export function kafkaSecurityEnv() {
  return {
    KAFKA_SASL_MECHANISM: z.string().optional(),
    KAFKA_SASL_USERNAME: env.text(),
    KAFKA_SASL_PASSWORD: env.text(),
    /** TLS to the brokers (true/false, default false). */
    KAFKA_SSL: env.text(),
  };
}

/** The KafkaSecurity of variables parsed with kafkaSecurityEnv(). */
export function kafkaSecurityOf(e: z.infer<z.ZodObject<ReturnType<typeof kafkaSecurityEnv>>>): KafkaSecurity {
  return kafkaSecurityFromEnv({
    KAFKA_SASL_MECHANISM: e.KAFKA_SASL_MECHANISM,
    KAFKA_SASL_USERNAME: e.KAFKA_SASL_USERNAME,
    KAFKA_SASL_PASSWORD: e.KAFKA_SASL_PASSWORD,
    KAFKA_SSL: e.KAFKA_SSL,
  });
}

/** What PlatformModule.forRoot and bootstrapService need from a service's configuration. */
export interface ServiceConfig {
  readonly kafkaBrokers: readonly string[];
  readonly databaseUrl: string;
  readonly port: number;
  readonly topicPrefix: string;
  readonly logLevel: LogLevel;
  readonly healthMaxLag: number;
  readonly joinCatchUpMs: number;
  /** /admin/* needs `Authorization: Bearer <adminToken>`; undefined: they are closed. */
  readonly adminToken?: string;
  /** Who the service is to the brokers (SASL) and whether it talks TLS. */
  readonly kafkaSecurity: KafkaSecurity;
}

/** Maps the parsed variables of serviceEnv() to a ServiceConfig. */
export function serviceConfig(e: z.infer<z.ZodObject<ReturnType<typeof serviceEnv>>>): ServiceConfig {
  return {
    kafkaBrokers: e.KAFKA_BROKERS,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    topicPrefix: e.TOPIC_PREFIX,
    logLevel: e.LOG_LEVEL,
    healthMaxLag: e.HEALTH_MAX_LAG,
    joinCatchUpMs: e.JOIN_CATCH_UP_MS,
    ...(e.ADMIN_TOKEN === undefined ? {} : { adminToken: e.ADMIN_TOKEN }),
    kafkaSecurity: kafkaSecurityOf(e),
  };
}
