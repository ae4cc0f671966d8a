import { PrismaPg } from '@prisma/adapter-pg';
import { createPgAdapter, pgPoolConfig } from './adapter';

describe('pgPoolConfig', () => {
  it('has defaults and a configurable pool size', () => {
    expect(pgPoolConfig('postgres://u:p@h:5432/db')).toEqual({
      connectionString: 'postgres://u:p@h:5432/db',
      max: 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
    });
    expect(pgPoolConfig('postgres://h/db', { poolSize: 3, applicationName: 'shipping' })).toMatchObject({
      max: 3,
      application_name: 'shipping',
    });
  });

  it('refuses an empty URL', () => {
    expect(() => pgPoolConfig('')).toThrow(/databaseUrl is required/);
  });
});

describe('createPgAdapter', () => {
  it('builds a PrismaPg driver adapter factory without connecting', () => {
    const adapter = createPgAdapter('postgres://h/db', { poolSize: 2 });
    expect(adapter).toBeInstanceOf(PrismaPg);
    expect(adapter.provider).toBe('postgres');
  });
});
