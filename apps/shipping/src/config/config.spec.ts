import { serviceNamed } from '@shop/contracts';
import { ConfigError, loadConfig } from './config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:19092, kafka-2:9092',
  DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:55432/shipping',
};

function problemsOf(source: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('shipping config', () => {
  it('parses a valid environment and applies defaults (port from the manifest)', () => {
    expect(loadConfig(valid)).toEqual({
      kafkaBrokers: ['127.0.0.1:19092', 'kafka-2:9092'],
      databaseUrl: valid.DATABASE_URL,
      port: serviceNamed('shipping').port,
      topicPrefix: '',
      logLevel: 'log',
      healthMaxLag: 100,
      kafkaSecurity: { ssl: false },
      joinCatchUpMs: 20_000,
    });
  });

  it('reads every optional variable', () => {
    const config = loadConfig({
      ...valid,
      PORT: '8080',
      TOPIC_PREFIX: 'staging.',
      LOG_LEVEL: 'debug',
      HEALTH_MAX_LAG: '0',
      JOIN_CATCH_UP_MS: '500',
    });
    expect(config).toMatchObject({ port: 8080, topicPrefix: 'staging.', logLevel: 'debug', healthMaxLag: 0, joinCatchUpMs: 500 });
  });

  it('names every missing required variable in one error', () => {
    expect(() => loadConfig({})).toThrow(/shipping: invalid configuration/);
    expect(problemsOf({})).toEqual([
      'KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (missing)',
      'DATABASE_URL is required (e.g. postgres://user:password@host:5432/database) (missing)',
    ]);
  });

  it("bounds the join's catch-up wait below the transaction timeout", () => {
    expect(problemsOf({ ...valid, JOIN_CATCH_UP_MS: '60000' })).toEqual(['JOIN_CATCH_UP_MS must be at most 50000 (got "60000")']);
    expect(problemsOf({ ...valid, JOIN_CATCH_UP_MS: 'soon', PORT: 'x' })).toEqual([
      'PORT must be a number (got "x")',
      'JOIN_CATCH_UP_MS must be a number (got "soon")',
    ]);
  });
});
