import { serviceNamed } from '@shop/contracts';
import { ConfigError, loadConfig } from './config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:19092, kafka-2:9092',
  DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:55432/sample_view',
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

describe('sample-view config', () => {
  it('parses a valid environment and applies defaults', () => {
    expect(loadConfig(valid)).toEqual({
      kafkaBrokers: ['127.0.0.1:19092', 'kafka-2:9092'],
      databaseUrl: valid.DATABASE_URL,
      port: serviceNamed('sample-view').port,
      topicPrefix: '',
      logLevel: 'log',
      healthMaxLag: 100,
      kafkaSecurity: { ssl: false },
      joinCatchUpMs: 20_000,
    });
  });

  it('reads every optional variable', () => {
    const config = loadConfig({ ...valid, PORT: '8080', TOPIC_PREFIX: 'staging.', LOG_LEVEL: 'debug', HEALTH_MAX_LAG: '0' });
    expect(config).toMatchObject({ port: 8080, topicPrefix: 'staging.', logLevel: 'debug', healthMaxLag: 0 });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', TOPIC_PREFIX: '  ' })).toMatchObject({
      port: serviceNamed('sample-view').port,
      topicPrefix: '',
    });
  });

  it('names every missing required variable in one error', () => {
    const attempt = () => loadConfig({});
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/sample-view: invalid configuration/);
    expect(problemsOf({})).toEqual([
      'KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (missing)',
      'DATABASE_URL is required (e.g. postgres://user:password@host:5432/database) (missing)',
    ]);
  });

  it('lists every bad value with what it got', () => {
    const problems = problemsOf({
      KAFKA_BROKERS: 'localhost',
      DATABASE_URL: 'mysql://x/y',
      PORT: 'eighty',
      TOPIC_PREFIX: 'has space',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toEqual([
      'KAFKA_BROKERS each broker must be host:port (got "localhost")',
      'DATABASE_URL must be a postgres:// URL that names a database (got "mysql://x/y")',
      'PORT must be a number (got "eighty")',
      'TOPIC_PREFIX may only contain letters, digits, ".", "_" and "-" (got "has space")',
      'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose (got "loud")',
    ]);
  });

  it('rejects out-of-range ports and an empty broker list', () => {
    expect(problemsOf({ ...valid, PORT: '70000' })).toEqual(['PORT must be between 0 and 65535 (got "70000")']);
    expect(problemsOf({ ...valid, KAFKA_BROKERS: ' , ' })).toEqual([
      'KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (got ",")',
    ]);
  });

  it('formats the message one problem per line', () => {
    expect(() => loadConfig({ DATABASE_URL: valid.DATABASE_URL })).toThrow(
      'sample-view: invalid configuration (environment variables):\n  - KAFKA_BROKERS is required',
    );
  });
});
