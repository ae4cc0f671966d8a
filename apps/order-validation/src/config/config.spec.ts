import { serviceNamed } from '@shop/contracts';
import { ConfigError } from '@shop/nest-platform';
import { loadConfig } from './config';

describe('order-validation config', () => {
  const base = { KAFKA_BROKERS: '127.0.0.1:19092', DATABASE_URL: 'postgres://u:p@localhost:5432/order_validation' };

  it('applies the defaults (port from the manifest)', () => {
    expect(loadConfig(base)).toEqual({
      kafkaBrokers: ['127.0.0.1:19092'],
      databaseUrl: base.DATABASE_URL,
      port: serviceNamed('order-validation').port,
      topicPrefix: '',
      logLevel: 'log',
      healthMaxLag: 100,
      kafkaSecurity: { ssl: false },
      joinCatchUpMs: 20_000,
      intakeMaxBatch: 500,
      outboxRelayIntervalMs: 1000,
      outboxGraceMs: 3000,
      failpoint: '',
      maxPlacedAtAheadMs: 300_000,
    });
  });

  it('reads the outbox settings and refuses an unknown failpoint', () => {
    expect(
      loadConfig({
        ...base,
        INTAKE_MAX_BATCH: '50',
        OUTBOX_RELAY_INTERVAL_MS: '200',
        OUTBOX_GRACE_MS: '0',
        FAILPOINT: 'exit-after-outbox-write',
      }),
    ).toMatchObject({
      intakeMaxBatch: 50,
      outboxRelayIntervalMs: 200,
      outboxGraceMs: 0,
      failpoint: 'exit-after-outbox-write',
    });
    expect(() => loadConfig({ ...base, FAILPOINT: 'crash-everything' })).toThrow(/FAILPOINT must be one of: exit-after-outbox-write/);
    expect(() => loadConfig({ ...base, INTAKE_MAX_BATCH: '0' })).toThrow(/INTAKE_MAX_BATCH must be at least 1/);
    expect(loadConfig({ ...base, MAX_PLACED_AT_AHEAD_MS: '0' }).maxPlacedAtAheadMs).toBe(0);
    expect(() => loadConfig({ ...base, MAX_PLACED_AT_AHEAD_MS: '-1' })).toThrow(/MAX_PLACED_AT_AHEAD_MS must be 0 or more/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...base,
      PORT: '4000',
      TOPIC_PREFIX: 't1_',
      LOG_LEVEL: 'warn',
      HEALTH_MAX_LAG: '0',
      JOIN_CATCH_UP_MS: '500',
    });
    expect(config).toMatchObject({ port: 4000, topicPrefix: 't1_', logLevel: 'warn', healthMaxLag: 0, joinCatchUpMs: 500 });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'x', JOIN_CATCH_UP_MS: '-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(' ')[0]);
    expect(problems).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'DATABASE_URL', 'PORT', 'JOIN_CATCH_UP_MS']));
  });
});
