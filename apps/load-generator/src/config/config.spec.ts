import { ConfigError, loadConfig } from './config';

const valid = { ORDER_VALIDATION_URL: 'http://127.0.0.1:3001/', KAFKA_BROKERS: '127.0.0.1:19092' };

function problemsOf(source: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('load-generator config', () => {
  it('parses a valid environment and applies defaults', () => {
    expect(loadConfig(valid)).toEqual({
      orderValidationUrl: 'http://127.0.0.1:3001',
      kafkaBrokers: ['127.0.0.1:19092'],
      kafkaSecurity: { ssl: false },
      topicPrefix: '',
      logLevel: 'log',
      seed: 1,
      users: 300,
      orders: 3000,
      rate: 0,
      concurrency: 8,
      httpAttempts: 8,
      oracleOut: undefined,
      usersVia: 'topic',
      eventTime: 'scenario',
      monolithUrl: undefined,
      v1Orders: 0,
    });
    expect(
      loadConfig({ ...valid, SEED: '42', USERS: '50', ORDERS: '200', RATE: '12.5', TOPIC_PREFIX: 'run1_', ORACLE_OUT: 'tmp/o.json' }),
    ).toMatchObject({
      seed: 42,
      users: 50,
      orders: 200,
      rate: 12.5,
      topicPrefix: 'run1_',
      oracleOut: 'tmp/o.json',
    });
  });

  it('signs in to Kafka as the principal of KAFKA_SASL_*, and refuses credentials without a mechanism', () => {
    expect(
      loadConfig({ ...valid, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'admin', KAFKA_SASL_PASSWORD: 'pw' }).kafkaSecurity,
    ).toEqual({ ssl: false, sasl: { mechanism: 'plain', username: 'admin', password: 'pw' } });
    expect(() => loadConfig({ ...valid, KAFKA_SASL_USERNAME: 'admin' })).toThrow(
      /KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not/,
    );
  });

  it('lists every bad or missing variable at once', () => {
    const problems = problemsOf({ ORDER_VALIDATION_URL: 'localhost', SEED: '-1', USERS: '3', RATE: 'fast' });
    expect(problems).toEqual([
      expect.stringMatching(/^ORDER_VALIDATION_URL must be an http\(s\) URL/),
      expect.stringMatching(/^KAFKA_BROKERS is required .*\(missing\)$/),
      expect.stringMatching(/^SEED must be 0 or more \(got "-1"\)$/),
      expect.stringMatching(/^USERS must be 30 or more \(got "3"\)$/),
      expect.stringMatching(/^RATE must be a number \(got "fast"\)$/),
    ]);
  });

  it('takes USERS_VIA=monolith with a MONOLITH_URL, and requires the URL there', () => {
    expect(loadConfig({ ...valid, USERS_VIA: 'monolith', MONOLITH_URL: 'http://127.0.0.1:3000/' })).toMatchObject({
      usersVia: 'monolith',
      monolithUrl: 'http://127.0.0.1:3000',
    });
    expect(problemsOf({ ...valid, USERS_VIA: 'monolith' }).join('\n')).toContain('MONOLITH_URL');
    expect(problemsOf({ ...valid, USERS_VIA: 'cdc' }).join('\n')).toContain('USERS_VIA');
    expect(problemsOf({ ...valid, MONOLITH_URL: 'ftp://x' }).join('\n')).toContain('MONOLITH_URL');
  });
});
