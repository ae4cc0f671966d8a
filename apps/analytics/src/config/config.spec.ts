import { serviceNamed } from '@shop/contracts';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  const minimal = { KAFKA_BROKERS: '127.0.0.1:19092', DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:55432/analytics' };

  it('applies the defaults (port from the manifest)', () => {
    expect(loadConfig(minimal)).toEqual({
      kafkaBrokers: ['127.0.0.1:19092'],
      databaseUrl: minimal.DATABASE_URL,
      port: serviceNamed('analytics').port,
      topicPrefix: '',
      logLevel: 'log',
      healthMaxLag: 100,
      kafkaSecurity: { ssl: false },
      joinCatchUpMs: 20_000,
      dashboardServices: [],
    });
  });

  it('reads the dashboard services and refuses a malformed list', () => {
    expect(loadConfig({ ...minimal, DASHBOARD_SERVICES: 'shipping=http://127.0.0.1:3002' }).dashboardServices).toEqual([
      { name: 'shipping', url: 'http://127.0.0.1:3002' },
    ]);
    expect(() => loadConfig({ ...minimal, DASHBOARD_SERVICES: 'shipping' })).toThrow(/DASHBOARD_SERVICES must be name=url pairs/);
  });

  it('reads every variable', () => {
    expect(
      loadConfig({ ...minimal, PORT: '8080', TOPIC_PREFIX: 't1_', LOG_LEVEL: 'debug', HEALTH_MAX_LAG: '0', JOIN_CATCH_UP_MS: '5000' }),
    ).toMatchObject({ port: 8080, topicPrefix: 't1_', logLevel: 'debug', healthMaxLag: 0, joinCatchUpMs: 5000 });
  });

  it('lists every problem at once', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', JOIN_CATCH_UP_MS: '-1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/KAFKA_BROKERS .*missing/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL .*missing/);
    expect(problems.join('\n')).toMatch(/PORT must be a number \(got "eighty"\)/);
    expect(problems.join('\n')).toMatch(/JOIN_CATCH_UP_MS must be 0 or more \(got "-1"\)/);
  });
});
