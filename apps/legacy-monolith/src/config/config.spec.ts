import { serviceNamed } from '@shop/contracts';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('reads DATABASE_URL and applies the defaults', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/legacy_monolith' })).toEqual({
      databaseUrl: 'postgres://u:p@localhost:5432/legacy_monolith',
      port: serviceNamed('legacy-monolith').port,
      logLevel: 'log',
    });
  });

  it('reads PORT and LOG_LEVEL; needs no KAFKA_BROKERS', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://h/db', PORT: '8080', LOG_LEVEL: 'debug' })).toMatchObject({
      port: 8080,
      logLevel: 'debug',
    });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^DATABASE_URL is required .*\(missing\)$/);
    expect(problems[1]).toMatch(/^PORT must be a number \(got "x"\)$/);
    expect(problems[2]).toMatch(/^LOG_LEVEL must be one of .* \(got "loud"\)$/);
  });
});
