import { Topics, withTopicPrefix } from '@shop/contracts';
import { changelogTableView } from './changelog-table.view';
import { decodeViewRecord, replayPositionsName, replayRefusal } from './dead-letter-replay';

describe('replayRefusal: which views may have their dead letters replayed', () => {
  const verdicts = withTopicPrefix(Topics.orderValidations, 't_');

  it('allows a view of an events topic (deduplicated by id: a late record lands as an on-time one)', () => {
    expect(replayRefusal({ name: 'shipments', topic: verdicts })).toBeUndefined();
    expect(replayRefusal({ name: 'shipments', topic: verdicts, ordering: 'deduplicated' })).toBeUndefined();
  });

  it('refuses a changelog table (latest wins: an old row replayed would overwrite a newer one) and points to rebuild', () => {
    const users = changelogTableView({
      name: 'users',
      topic: withTopicPrefix(Topics.users, 't_'),
      table: 'users_view',
      keyColumn: 'id',
      columns: [],
    });
    expect(users.ordering).toBe('latest-wins');
    expect(replayRefusal(users)).toMatch(/^view users keeps the latest record per key of t_users: .*POST \/admin\/views\/users\/rebuild/);
  });

  it('refuses any view of a compacted topic, whatever it declares (the topic is a changelog)', () => {
    expect(replayRefusal({ name: 'by-hand', topic: Topics.users })).toMatch(/keeps the latest record per key/);
    expect(replayRefusal({ name: 'x', topic: { ...verdicts, config: { 'cleanup.policy': 'compact,delete' } } })).toBeDefined();
    expect(replayRefusal({ name: 'x', topic: verdicts, ordering: 'latest-wins' })).toBeDefined();
  });

  it("keeps the replay's positions under a view key of their own", () => {
    expect(replayPositionsName('shipments')).toBe('shipments:dlq');
  });
});

describe('decodeViewRecord', () => {
  it("decodes as live records are decoded, at the original record's coordinates", () => {
    const user = {
      id: 'u-1',
      email: 'ada@example.com',
      name: 'Ada',
      status: 'active',
      country: 'DE',
      region: 'europe',
      address_line1: '1 Hauptstraße',
      city: 'Berlin',
      postal_code: '10115',
      created_at: '2026-11-25T10:00:00.000Z',
      updated_at: '2026-11-25T10:00:00.000Z',
    };
    const record = decodeViewRecord(
      { topic: Topics.users },
      { key: Buffer.from('u-1'), value: Buffer.from(JSON.stringify(user)), headers: { traceparent: 't' }, timestamp: 5 },
      2,
      41n,
    );
    expect(record).toMatchObject({ key: 'u-1', partition: 2, offset: 41n, timestamp: 5, headers: { traceparent: 't' } });
    expect(
      decodeViewRecord({ topic: Topics.users }, { key: Buffer.from('u-1'), value: null, headers: {}, timestamp: 5 }, 0, 1n).value,
    ).toBeNull();
  });

  it('throws what the live path dead-letters (not JSON, schema mismatch)', () => {
    expect(() =>
      decodeViewRecord(
        { topic: Topics.orderValidations },
        { key: Buffer.from('o'), value: Buffer.from('{x'), headers: {}, timestamp: 0 },
        0,
        0n,
      ),
    ).toThrow(/is not JSON/);
  });
});
