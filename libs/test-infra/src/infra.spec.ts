import { testInfra } from './infra';

describe('testInfra', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads brokers and the admin database URL from the environment', () => {
    process.env['KAFKA_BROKERS'] = '127.0.0.1:19092, 127.0.0.1:19094';
    process.env['DATABASE_URL'] = 'postgresql://postgres:postgres@127.0.0.1:55432/postgres';
    expect(testInfra()).toEqual({
      kafkaBrokers: ['127.0.0.1:19092', '127.0.0.1:19094'],
      adminDatabaseUrl: 'postgresql://postgres:postgres@127.0.0.1:55432/postgres',
    });
  });

  it('explains what is missing', () => {
    delete process.env['KAFKA_BROKERS'];
    delete process.env['DATABASE_URL'];
    expect(() => testInfra()).toThrow(/KAFKA_BROKERS and DATABASE_URL not set: .*int-global-setup/);
  });
});
