import { Topics, watermarksAsOf, withTopicPrefix, type TopicDefinition, type UserRecord, type UsersAsOf } from '@shop/contracts';
import { applyMigrations } from '@shop/db';
import { createTestDatabase, uniqueName, waitUntil } from '@shop/test-infra';
import * as path from 'node:path';
import {
  DeadLetterPublisher,
  EventProducer,
  Materializer,
  provisionTopics,
  readUsersAsOf,
  versionedTableView,
  versionedUsersView,
} from '..';
import { connectKafka, viewPrisma } from '../../test-support/kafka-test-kit';

const migrationsDir = path.resolve(__dirname, '../../test-support/prisma/migrations');

type Kit = Awaited<ReturnType<typeof connectKafka>>;

const VERSIONS_DDL = (table: string) => `
  CREATE TABLE ${table} (
    id text NOT NULL, from_offset bigint NOT NULL, partition integer NOT NULL, from_ms bigint NOT NULL, deleted boolean NOT NULL,
    status text, country text, city text, updated_at timestamptz(3),
    PRIMARY KEY (id, from_offset))`;

const user = (id: string, changes: Partial<UserRecord>): UserRecord => ({
  id,
  email: `${id}@example.com`,
  name: 'Ada Lovelace',
  status: 'active',
  country: 'DE',
  region: 'europe',
  address_line1: '1 Hauptstraße',
  city: 'Berlin',
  postal_code: '10115',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...changes,
});

describe('versioned users view against a real broker and PostgreSQL', () => {
  let kit: Kit;
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: ReturnType<typeof viewPrisma>;

  beforeAll(async () => {
    kit = await connectKafka(uniqueName('versioned_it'));
    testDb = await createTestDatabase('versioned');
    await applyMigrations({ databaseUrl: testDb.url, migrationsDir });
    db = viewPrisma(testDb.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await kit?.close();
    await testDb?.drop();
  });

  it('reads each user as of a position of the log (watermarks or timestamp), live and after a rebuild alike', async () => {
    const prefix = `${uniqueName('vu')}.`;
    const topic = withTopicPrefix(Topics.users, prefix);
    const table = uniqueName('user_versions');
    await db.$executeRawUnsafe(VERSIONS_DDL(table));
    await provisionTopics(kit.admin, [topic]);
    const producer = new EventProducer(kit.producer);
    const position = async (): Promise<UsersAsOf> => watermarksAsOf(await kit.admin.fetchOffsets(topic.name));

    // u-1 moves from Berlin to Paris, is suspended, then deleted; u-2 never changes. Positions in between.
    const before = await position();
    await producer.send(topic, [
      { key: 'u-1', value: user('u-1', {}) },
      { key: 'u-2', value: user('u-2', { city: 'Hamburg' }) },
    ]);
    const created = await position();
    await producer.send(topic, [{ key: 'u-1', value: user('u-1', { country: 'FR', city: 'Paris' }) }]);
    const moved = await position();
    const movedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the next record is stamped later than movedAt
    await producer.send(topic, [{ key: 'u-1', value: user('u-1', { country: 'FR', city: 'Paris', status: 'suspended' }) }]);
    const suspended = await position();
    await producer.send(topic, [{ key: 'u-1', value: null }]);
    const deleted = await position();

    const view = versionedUsersView({ name: uniqueName('users'), topicPrefix: prefix, table, fields: ['status', 'country', 'city'] });
    const materializer = new Materializer(kit.client, db, kit.admin, new DeadLetterPublisher(kit.producer), view, {
      groupId: uniqueName('versioned_group'),
    });
    const read = () =>
      readUsersAsOf(
        db,
        table,
        [before, created, moved, suspended, deleted]
          .map((asOf) => ({ key: 'u-1', asOf }))
          .concat([
            { key: 'u-2', asOf: deleted },
            { key: 'u-1', asOf: { kind: 'timestamp', timestamp: movedAt } },
            { key: 'u-404', asOf: deleted },
          ]),
        ['status', 'country', 'city'],
      );
    const expected = [
      undefined,
      { status: 'active', country: 'DE', city: 'Berlin' },
      { status: 'active', country: 'FR', city: 'Paris' },
      { status: 'suspended', country: 'FR', city: 'Paris' },
      undefined, // the tombstone closes the last version
      { status: 'active', country: 'DE', city: 'Hamburg' },
      { status: 'active', country: 'FR', city: 'Paris' }, // as of a time between the move and the suspension
      undefined,
    ];
    try {
      await materializer.start();
      await materializer.catchUpTo(
        (deleted as Extract<UsersAsOf, { kind: 'watermarks' }>).watermarks.map((offset, partition) => ({ partition, offset })),
        60_000,
      );
      expect(await read()).toEqual(expected);
      const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`);
      expect(Number(rows[0]?.n)).toBe(5); // every record is a version, the tombstone too

      await materializer.rebuild();
      await waitUntil(async () => (await materializer.status()).caughtUp, {
        timeoutMs: 60_000,
        description: 'the rebuilt view to catch up',
      });
      expect(await read()).toEqual(expected);
    } finally {
      await materializer.stop();
    }
  }, 120_000);

  it('applies a record again or late on its own offset, and forgets versions replaced longer ago than its history', async () => {
    const table = uniqueName('versions');
    await db.$executeRawUnsafe(VERSIONS_DDL(table));
    const view = versionedTableView<{ city: string }>({
      name: 'v',
      topic: withTopicPrefix(Topics.users, 'unused.') as unknown as TopicDefinition<{ city: string }>, // apply() alone: no topic read
      table,
      keyColumn: 'id',
      columns: [{ name: 'city', type: 'text', from: (v) => v.city }],
      historyMs: 60_000,
    });
    const record = (offset: number, timestamp: number, city: string | null) => ({
      key: 'u-1',
      value: city === null ? null : { city },
      partition: 0,
      offset: BigInt(offset),
      timestamp,
      headers: {},
    });
    const cities = async () =>
      (
        await db.$queryRawUnsafe<{ from_offset: bigint; city: string | null }[]>(
          `SELECT from_offset, city FROM ${table} ORDER BY from_offset`,
        )
      ).map((r) => [Number(r.from_offset), r.city]);
    const t0 = 1_767_225_600_000;
    await db.$transaction((tx) => view.apply(tx, [record(0, t0, 'Berlin'), record(2, t0 + 1_000, 'Paris')]));
    await db.$transaction((tx) => view.apply(tx, [record(1, t0 + 500, 'Lyon'), record(2, t0 + 1_000, 'Paris')])); // late and again
    expect(await cities()).toEqual([
      [0, 'Berlin'],
      [1, 'Lyon'],
      [2, 'Paris'],
    ]);
    // Two minutes later: the versions replaced by one older than a minute go; the latest stays, as does the one
    // replaced by it (its successor is younger than the history).
    await db.$transaction((tx) => view.apply(tx, [record(3, t0 + 120_000, null)]));
    expect(await cities()).toEqual([
      [2, 'Paris'],
      [3, null],
    ]);
  });
});
