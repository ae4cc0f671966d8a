import { z } from 'zod';
import { ConfigError, env, parseEnv, serviceConfig, serviceEnv } from './env';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:19092, kafka-2:9092',
  DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:55432/shipping',
};

function problemsOf(shape: z.ZodRawShape, source: Record<string, string | undefined>): readonly string[] {
  try {
    parseEnv('svc', shape, source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEnv with the common schemas', () => {
  it('parses the service variables and applies defaults', () => {
    expect(serviceConfig(parseEnv('svc', serviceEnv(3200), valid))).toEqual({
      kafkaBrokers: ['127.0.0.1:19092', 'kafka-2:9092'],
      databaseUrl: valid.DATABASE_URL,
      port: 3200,
      topicPrefix: '',
      logLevel: 'log',
      healthMaxLag: 100,
      joinCatchUpMs: 20_000,
      kafkaSecurity: { ssl: false },
    });
  });

  it('reads the Kafka principal, and refuses half of one with the other variables in one error', () => {
    const principal = {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'shipping',
      KAFKA_SASL_PASSWORD: 'pw-of-shipping',
      KAFKA_SSL: 'true',
    };
    expect(serviceConfig(parseEnv('svc', serviceEnv(3200), { ...valid, ...principal })).kafkaSecurity).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'shipping', password: 'pw-of-shipping' },
    });
    const problems = problemsOf(serviceEnv(3200), {
      ...valid,
      DATABASE_URL: 'nope',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_PASSWORD: 'pw-of-shipping',
    });
    expect(problems).toEqual([
      'DATABASE_URL must be a postgres:// URL that names a database (got "nope")',
      'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=plain',
    ]);
    expect(problemsOf(serviceEnv(3200), { ...valid, KAFKA_SSL: 'yes' })).toEqual(['KAFKA_SSL must be true or false (got "yes")']);
    expect(problemsOf(serviceEnv(3200), { ...valid, KAFKA_SASL_PASSWORD: 'pw-of-shipping' }).join('\n')).not.toContain('pw-of-shipping');
  });

  it('reads every optional variable and treats empty ones as unset', () => {
    const e = parseEnv('svc', serviceEnv(3200), {
      ...valid,
      PORT: '8080',
      TOPIC_PREFIX: 'staging.',
      LOG_LEVEL: 'debug',
      HEALTH_MAX_LAG: '0',
      JOIN_CATCH_UP_MS: '500',
    });
    expect(serviceConfig(e)).toMatchObject({ port: 8080, topicPrefix: 'staging.', logLevel: 'debug', healthMaxLag: 0, joinCatchUpMs: 500 });
    expect(parseEnv('svc', serviceEnv(3200), { ...valid, PORT: '', TOPIC_PREFIX: '  ' })).toMatchObject({ PORT: 3200, TOPIC_PREFIX: '' });
  });

  it('composes with service-specific variables', () => {
    const shape = { ...serviceEnv(3300), WINDOW_MINUTES: env.count(10) };
    expect(parseEnv('svc', shape, { ...valid, WINDOW_MINUTES: '5' }).WINDOW_MINUTES).toBe(5);
    expect(problemsOf(shape, { ...valid, WINDOW_MINUTES: '-1' })).toEqual(['WINDOW_MINUTES must be 0 or more (got "-1")']);
  });

  it('names every missing required variable in one readable error', () => {
    const attempt = () => parseEnv('shipping', serviceEnv(3200), {});
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'shipping: invalid configuration (environment variables):\n' +
        '  - KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (missing)\n' +
        '  - DATABASE_URL is required (e.g. postgres://user:password@host:5432/database) (missing)',
    );
  });

  it('lists every bad value with what it got', () => {
    expect(
      problemsOf(serviceEnv(3200), {
        KAFKA_BROKERS: 'localhost',
        DATABASE_URL: 'mysql://x/y',
        PORT: 'eighty',
        TOPIC_PREFIX: 'has space',
        LOG_LEVEL: 'loud',
        HEALTH_MAX_LAG: '1.5',
      }),
    ).toEqual([
      'KAFKA_BROKERS each broker must be host:port (got "localhost")',
      'DATABASE_URL must be a postgres:// URL that names a database (got "mysql://x/y")',
      'PORT must be a number (got "eighty")',
      'TOPIC_PREFIX may only contain letters, digits, ".", "_" and "-" (got "has space")',
      'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose (got "loud")',
      'HEALTH_MAX_LAG must be an integer (got "1.5")',
    ]);
  });

  it('checks the replication variables with the others (provisionTopics reads them)', () => {
    expect(parseEnv('svc', serviceEnv(3200), { ...valid, KAFKA_REPLICATION_FACTOR: '3' })).toMatchObject({
      KAFKA_REPLICATION_FACTOR: 3,
      KAFKA_MIN_INSYNC_REPLICAS: undefined,
    });
    expect(problemsOf(serviceEnv(3200), { ...valid, KAFKA_REPLICATION_FACTOR: '0', KAFKA_MIN_INSYNC_REPLICAS: 'two' })).toEqual([
      'KAFKA_REPLICATION_FACTOR must be 1 or more (got "0")',
      'KAFKA_MIN_INSYNC_REPLICAS must be a number (got "two")',
    ]);
  });

  it('takes an ADMIN_TOKEN of 16+ printable characters, and none means closed admin endpoints', () => {
    expect(serviceConfig(parseEnv('svc', serviceEnv(3200), valid))).not.toHaveProperty('adminToken');
    expect(serviceConfig(parseEnv('svc', serviceEnv(3200), { ...valid, ADMIN_TOKEN: 'x'.repeat(16) })).adminToken).toBe('x'.repeat(16));
    expect(problemsOf(serviceEnv(3200), { ...valid, ADMIN_TOKEN: 'short' })).toEqual([
      'ADMIN_TOKEN must be at least 16 characters (got 5 characters)',
    ]);
    expect(problemsOf(serviceEnv(3200), { ...valid, ADMIN_TOKEN: 'has a space in it!' })).toEqual([
      'ADMIN_TOKEN may only contain printable ASCII without spaces (got 18 characters)',
    ]);
  });

  it('rejects out-of-range ports and an empty broker list', () => {
    expect(problemsOf(serviceEnv(3200), { ...valid, PORT: '70000' })).toEqual(['PORT must be between 0 and 65535 (got "70000")']);
    expect(problemsOf(serviceEnv(3200), { ...valid, KAFKA_BROKERS: ' , ' })).toEqual([
      'KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (got ",")',
    ]);
  });

  it('accepts postgresql:// URLs with query parameters', () => {
    expect(parseEnv('svc', { DATABASE_URL: env.postgresUrl() }, { DATABASE_URL: 'postgresql://u:p@h:5432/db?sslmode=require' })).toEqual({
      DATABASE_URL: 'postgresql://u:p@h:5432/db?sslmode=require',
    });
  });
});
