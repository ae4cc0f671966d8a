import { uniqueName } from './unique-name';

describe('uniqueName', () => {
  it('starts with the sanitised prefix and only uses [a-z0-9_]', () => {
    const name = uniqueName('Orders-View.Test');
    expect(name).toMatch(/^orders_view_test_[a-z0-9_]+$/);
  });

  it('is different on every call', () => {
    const names = new Set(Array.from({ length: 1000 }, () => uniqueName('topic')));
    expect(names.size).toBe(1000);
  });

  it('never exceeds 50 characters and keeps the unique suffix', () => {
    const long = 'x'.repeat(200);
    const a = uniqueName(long);
    const b = uniqueName(long);
    expect(a.length).toBeLessThanOrEqual(50);
    expect(b.length).toBeLessThanOrEqual(50);
    expect(a).not.toBe(b);
  });

  it('is a valid unquoted PostgreSQL identifier even for odd prefixes', () => {
    for (const prefix of ['', '123', '__', 'Ünïcode', 'a b c']) {
      expect(uniqueName(prefix)).toMatch(/^[a-z][a-z0-9_]{0,49}$/);
    }
  });

  it('is a valid Kafka topic name', () => {
    expect(uniqueName('orders')).toMatch(/^[a-zA-Z0-9._-]{1,249}$/);
  });
});
