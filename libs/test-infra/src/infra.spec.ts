import { testInfra } from './infra';

describe('testInfra', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads brokers and the admin database URL from the environment', () => {
    process.env['KAFKA_BROKERS'] = '127.0.0.1:19092, 127.0.0.1:19094';
    process.env['DATABASE_URL'] = 'postgresql://postgres:postgres@127.0.0.1:55432/postgres';
    for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL']) delete process.env[name];
    expect(testInfra()).toEqual({
      kafkaBrokers: ['127.0.0.1:19092', '127.0.0.1:19094'],
      kafkaEnv: { KAFKA_BROKERS: '127.0.0.1:19092,127.0.0.1:19094' },
      adminDatabaseUrl: 'postgresql://postgres:postgres@127.0.0.1:55432/postgres',
    });
  });

  it('hands on the credentials of a broker that asks for SASL, for services and child processes', () => {
    process.env['KAFKA_BROKERS'] = '127.0.0.1:19092';
    process.env['DATABASE_URL'] = 'postgresql://postgres:postgres@127.0.0.1:55432/postgres';
    process.env['KAFKA_SASL_MECHANISM'] = 'plain';
    process.env['KAFKA_SASL_USERNAME'] = 'admin';
    process.env['KAFKA_SASL_PASSWORD'] = 'secret';
    process.env['KAFKA_SSL'] = ' ';
    expect(testInfra().kafkaEnv).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'admin',
      KAFKA_SASL_PASSWORD: 'secret',
    });
  });

  it('explains what is missing', () => {
    delete process.env['KAFKA_BROKERS'];
    delete process.env['DATABASE_URL'];
    expect(() => testInfra()).toThrow(/KAFKA_BROKERS and DATABASE_URL not set: .*int-global-setup/);
  });
});
