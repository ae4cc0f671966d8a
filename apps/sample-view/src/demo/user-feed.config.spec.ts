import { ConfigError } from '@shop/nest-platform';
import { loadUserFeedConfig } from './user-feed.config';

describe('user-feed config', () => {
  it('defaults to 5 changes per second and a clock-derived seed', () => {
    expect(loadUserFeedConfig({ KAFKA_BROKERS: 'localhost:9092' }, () => 1_234_567_890)).toEqual({
      kafkaBrokers: ['localhost:9092'],
      topicPrefix: '',
      logLevel: 'log',
      rate: 5,
      seed: 567_890,
      maxEvents: undefined,
      targetUsers: 500,
    });
  });

  it('lists every bad variable', () => {
    const attempt = () => loadUserFeedConfig({ RATE: '0', SEED: 'x', MAX_EVENTS: '-3' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      [
        'user-feed: invalid configuration (environment variables):',
        '  - KAFKA_BROKERS is required (comma-separated host:port list, e.g. 127.0.0.1:19092) (missing)',
        '  - RATE must be more than 0 (got "0")',
        '  - SEED must be a number (got "x")',
        '  - MAX_EVENTS must be more than 0 (got "-3")',
      ].join('\n'),
    );
  });
});
