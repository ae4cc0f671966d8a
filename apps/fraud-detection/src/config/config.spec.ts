import { serviceNamed } from '@shop/contracts';
import { ConfigError } from '@shop/nest-platform';
import { loadConfig } from './config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:55432/fraud_detection',
};

describe('fraud-detection config', () => {
  it('parses a valid environment and applies defaults (port from the manifest)', () => {
    expect(loadConfig(valid)).toEqual({
      kafkaBrokers: ['127.0.0.1:19092'],
      databaseUrl: valid.DATABASE_URL,
      port: serviceNamed('fraud-detection').port,
      topicPrefix: '',
      logLevel: 'log',
      healthMaxLag: 100,
      kafkaSecurity: { ssl: false },
      joinCatchUpMs: 20_000,
    });
  });

  it('reads the join wait of the common variables', () => {
    expect(loadConfig({ ...valid, JOIN_CATCH_UP_MS: '5000', PORT: '8080' })).toMatchObject({ joinCatchUpMs: 5_000, port: 8080 });
  });

  it('lists every problem in one ConfigError', () => {
    let error: unknown;
    try {
      loadConfig({ JOIN_CATCH_UP_MS: '-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (missing)',
      'DATABASE_URL is required (e.g. postgres://user:password@host:5432/database) (missing)',
      'JOIN_CATCH_UP_MS must be 0 or more (got "-1")',
    ]);
    expect((error as ConfigError).message).toMatch(/^fraud-detection: invalid configuration/);
  });
});
