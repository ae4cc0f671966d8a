import { serviceNamed } from '@shop/contracts';
import { ConfigError, loadConfig } from './config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:19092, kafka-2:9092',
  DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:55432/customer_profiles',
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

describe('customer-profiles config', () => {
  it('parses a valid environment and applies defaults (port from the manifest)', () => {
    expect(loadConfig(valid)).toEqual({
      kafkaBrokers: ['127.0.0.1:19092', 'kafka-2:9092'],
      databaseUrl: valid.DATABASE_URL,
      port: serviceNamed('customer-profiles').port,
      topicPrefix: '',
      logLevel: 'log',
      healthMaxLag: 100,
      kafkaSecurity: { ssl: false },
      joinCatchUpMs: 20_000,
    });
  });

  it('names every missing required variable in one error', () => {
    expect(() => loadConfig({})).toThrow(/customer-profiles: invalid configuration/);
    expect(problemsOf({})).toEqual([
      'KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (missing)',
      'DATABASE_URL is required (e.g. postgres://user:password@host:5432/database) (missing)',
    ]);
  });
});
