import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { applyMigrations } from '@shop/db';
import { createTestDatabase, uniqueName, waitUntil } from '@shop/test-infra';
import {
  DeadLetterHeaders,
  DeadLetterPublisher,
  EventProducer,
  Materializer,
  UnprocessableRecordError,
  changelogTableView,
  provisionTopics,
  readRecords,
  toDeadLetterRecord,
} from '..';
import { counterTopic, counterView } from '../../test-support/counter.view';
import { connectKafka, viewPrisma } from '../../test-support/kafka-test-kit';

const workspaceRoot = path.resolve(__dirname, '../../../..');
const migrationsDir = path.resolve(__dirname, '../../test-support/prisma/migrations');

type Kit = Awaited<ReturnType<typeof connectKafka>>;
type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

/** Deterministic pseudo-random numbers (mulberry32) so a failure can be replayed with the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function counterRows(db: ReturnType<typeof viewPrisma>) {
  const rows = await db.$queryRawUnsafe<{ key: string; count: string; sum: string }[]>(
    'SELECT key, count::text AS count, sum::text AS sum FROM test_counters ORDER BY key',
  );
  return rows.map((r) => ({ key: r.key, count: Number(r.count), sum: Number(r.sum) }));
}

async function counterTotal(db: ReturnType<typeof viewPrisma>): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ total: string | null }[]>('SELECT sum(count)::text AS total FROM test_counters');
  return Number(row?.total ?? 0);
}

describe('Materializer against a real broker and PostgreSQL', () => {
  let kit: Kit;
  let testDb: TestDb;
  let db: ReturnType<typeof viewPrisma>;

  beforeAll(async () => {
    kit = await connectKafka(uniqueName('materializer_it'));
    testDb = await createTestDatabase('materializer');
    await applyMigrations({ databaseUrl: testDb.url, migrationsDir });
    db = viewPrisma(testDb.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await kit?.close();
    await testDb?.drop();
  });

  it('keeps a non-idempotent counter exact through 5 SIGKILLs of the consuming process', async () => {
    const log = (msg: string) => process.stderr.write(`[crash-test] ${msg}\n`);
    const seed = Number(process.env['CRASH_TEST_SEED'] ?? Date.now() % 1_000_000);
    const rand = random(seed);
    const total = 100_000;
    const topic = counterTopic(uniqueName('counter'));
    const viewName = uniqueName('counter_view');
    await provisionTopics(kit.admin, [topic]);

    const expected = new Map<string, { count: number; sum: number }>();
    const producer = new EventProducer(kit.producer);
    for (let sent = 0; sent < total; sent += 2000) {
      const records = Array.from({ length: Math.min(2000, total - sent) }, () => {
        const key = `k${Math.floor(rand() * 997)}`;
        const amount = Math.floor(rand() * 1000) - 100;
        const e = expected.get(key) ?? { count: 0, sum: 0 };
        expected.set(key, { count: e.count + 1, sum: e.sum + amount });
        return { key, value: { amount } };
      });
      await producer.send(topic, records);
    }

    // Kill points: 5 distinct random fractions of the stream, in increasing order.
    const killAt = Array.from({ length: 5 }, (_, i) => Math.floor(total * (0.05 + (i + rand()) * 0.17)));
    const runChild = (): ChildProcess =>
      spawn(
        process.execPath,
        ['-r', '@swc-node/register', path.join(workspaceRoot, 'libs/kafka/test-support/counter-materializer.main.ts')],
        {
          cwd: workspaceRoot,
          env: {
            ...process.env,
            SWC_NODE_PROJECT: path.join(workspaceRoot, 'tsconfig.base.json'),
            VIEW_DATABASE_URL: testDb.url,
            COUNTER_TOPIC: topic.name,
            VIEW_NAME: viewName,
            CHUNK: '400',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
    const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));

    log(`seed ${seed}: ${total} events produced, kill points ${killAt.join(', ')}`);
    const observedAtKill: number[] = [];
    for (const threshold of killAt) {
      const child = runChild();
      await waitUntil(async () => (await counterTotal(db)) >= threshold, {
        timeoutMs: 120_000,
        intervalMs: 20,
        description: `counter view to pass ${threshold} events (seed ${seed})`,
      });
      child.kill('SIGKILL');
      await exited(child);
      observedAtKill.push(await counterTotal(db));
      log(`SIGKILL after ${threshold} events: view holds ${observedAtKill[observedAtKill.length - 1]}`);
    }
    // Every kill landed while events were still flowing in.
    for (const seen of observedAtKill) expect(seen).toBeLessThan(total);

    const last = runChild();
    try {
      await waitUntil(async () => (await counterTotal(db)) >= total, {
        timeoutMs: 180_000,
        intervalMs: 100,
        description: `counter view to reach ${total} events (seed ${seed})`,
      });
      const rows = await counterRows(db);
      const want = [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => ({ key, ...v }));
      expect(rows).toEqual(want);
      // The positions in the view's database are exactly the end of every partition.
      const ends = await kit.admin.fetchOffsets(topic.name);
      const positions = await db.$queryRawUnsafe<{ partition: number; next_offset: string }[]>(
        'SELECT partition, next_offset::text AS next_offset FROM kafka_consumer_offsets WHERE view = $1 ORDER BY partition',
        viewName,
      );
      expect(positions.map((p) => [Number(p.partition), BigInt(p.next_offset)])).toEqual(
        [...ends].sort((a, b) => a.partition - b.partition).map((e) => [e.partition, e.high]),
      );
    } finally {
      last.kill('SIGTERM');
      await exited(last);
    }
  }, 600_000);

  it('stays exact when members join and leave the group while events keep arriving (rebalances)', async () => {
    const topic = counterTopic(uniqueName('rebalance'));
    const viewName = uniqueName('rebalance_view');
    await provisionTopics(kit.admin, [topic]);
    await db.$executeRawUnsafe('TRUNCATE test_counters');
    const producer = new EventProducer(kit.producer);
    let produced = 0;
    let producing = true;
    // A live stream: 300-event batches until told to stop (bounded to 400 batches).
    const stream = (async () => {
      for (let batch = 0; producing && batch < 400; batch++) {
        await producer.send(
          topic,
          Array.from({ length: 300 }, (_, i) => ({ key: `r${(produced + i) % 101}`, value: { amount: 1 } })),
        );
        produced += 300;
      }
    })();
    const member = () =>
      new Materializer(kit.client, db, kit.admin, new DeadLetterPublisher(kit.producer), counterView(viewName, topic), {
        maxRecordsPerTransaction: 200,
        partitionsConsumedConcurrently: 1,
      });
    const first = member();
    const second = member();
    try {
      await first.start();
      await waitUntil(() => first.stats.recordsApplied > 0, { timeoutMs: 60_000, description: 'the first member applying' });
      await second.start(); // rebalance while the first member is mid-stream
      await waitUntil(() => second.stats.recordsApplied > 0, { timeoutMs: 60_000, description: 'the second member applying' });
      const firstBeforeStop = first.stats.recordsApplied;
      await first.stop(); // rebalance again: the second member takes every partition
      const secondAtHandover = second.stats.recordsApplied;
      await waitUntil(() => second.stats.recordsApplied > secondAtHandover + 1000, {
        timeoutMs: 60_000,
        description: 'the second member applying alone',
      });
      producing = false;
      await stream;
      await waitUntil(async () => (await second.status()).caughtUp || undefined, {
        timeoutMs: 60_000,
        description: 'second member caught up',
      });

      const rows = await counterRows(db);
      expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(produced);
      expect(rows.every((r) => r.count === r.sum)).toBe(true);
      expect(first.stats.recordsApplied + second.stats.recordsApplied).toBe(produced);
      expect(firstBeforeStop).toBeGreaterThan(0);
    } finally {
      producing = false;
      await stream;
      await first.stop();
      await second.stop();
    }
  }, 240_000);

  it('replays what the database lost: after its view and positions go back to an earlier state, the counter ends exact', async () => {
    // What a PostgreSQL crash with asynchronous commits (or a restore) does: the last commits vanish, rows and
    // positions together, while the consumer still holds later offsets in memory.
    const topic = counterTopic(uniqueName('regress'));
    const viewName = uniqueName('regress_view');
    await provisionTopics(kit.admin, [topic]);
    await db.$executeRawUnsafe('TRUNCATE test_counters');
    const producer = new EventProducer(kit.producer);
    const send = async (count: number) => {
      for (let i = 0; i < count; i += 500) {
        await producer.send(
          topic,
          Array.from({ length: Math.min(500, count - i) }, (_, j) => ({ key: `g${(i + j) % 37}`, value: { amount: 1 } })),
        );
      }
    };
    const regressions: string[] = [];
    const member = new Materializer(kit.client, db, kit.admin, new DeadLetterPublisher(kit.producer), counterView(viewName, topic), {
      maxRecordsPerTransaction: 250,
      onRegressed: (r) => regressions.push(`p${r.partition}: ${r.stored} < ${r.known}`),
    });
    const caughtUp = () =>
      waitUntil(async () => (await member.status()).caughtUp || undefined, { timeoutMs: 60_000, description: 'caught up' });
    try {
      await member.start();
      await send(3000);
      await caughtUp();
      await db.$executeRawUnsafe('DROP TABLE IF EXISTS snap_counters, snap_positions');
      await db.$executeRawUnsafe('CREATE TABLE snap_counters AS SELECT * FROM test_counters');
      await db.$executeRawUnsafe(`CREATE TABLE snap_positions AS SELECT * FROM kafka_consumer_offsets WHERE view = '${viewName}'`);
      await send(3000);
      await caughtUp();
      expect(await counterTotal(db)).toBe(6000);
      // The tail is lost: back to the snapshot, in one transaction, while the member keeps running.
      await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('TRUNCATE test_counters');
        await tx.$executeRawUnsafe('INSERT INTO test_counters SELECT * FROM snap_counters');
        await tx.$executeRawUnsafe(`DELETE FROM kafka_consumer_offsets WHERE view = '${viewName}'`);
        await tx.$executeRawUnsafe('INSERT INTO kafka_consumer_offsets SELECT * FROM snap_positions');
      });
      expect(await counterTotal(db)).toBe(3000);
      await send(1000); // the next commits meet the older positions
      await caughtUp();
      const rows = await counterRows(db);
      expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(7000);
      expect(rows.every((r) => r.count === r.sum)).toBe(true);
      expect(regressions.length).toBeGreaterThan(0);
    } finally {
      await member.stop();
      await db.$executeRawUnsafe('DROP TABLE IF EXISTS snap_counters, snap_positions');
    }
  }, 120_000);

  it('commits view transactions without waiting for the WAL flush unless synchronousCommit is asked for', async () => {
    const topic = counterTopic(uniqueName('commit_mode'));
    await provisionTopics(kit.admin, [topic]);
    await new EventProducer(kit.producer).send(topic, [{ key: '1', value: { amount: 1 } }]);
    const modeIn = async (synchronousCommit: boolean | undefined): Promise<string[]> => {
      const inner = counterView(uniqueName('commit_mode_view'), topic);
      const seen: string[] = [];
      const view = {
        ...inner,
        async apply(tx: Parameters<typeof inner.apply>[0], records: Parameters<typeof inner.apply>[1]) {
          const [row] = await tx.$queryRawUnsafe<{ synchronous_commit: string }[]>('SHOW synchronous_commit');
          seen.push(row?.synchronous_commit ?? '');
          await inner.apply(tx, records);
        },
      };
      const materializer = new Materializer(kit.client, db, kit.admin, new DeadLetterPublisher(kit.producer), view, {
        ...(synchronousCommit === undefined ? {} : { synchronousCommit }),
      });
      await materializer.start();
      try {
        await waitUntil(async () => (await materializer.status()).caughtUp || undefined, { timeoutMs: 30_000, description: 'caught up' });
      } finally {
        await materializer.stop();
      }
      return seen;
    };
    expect(await modeIn(undefined)).toEqual(['off']);
    expect(await modeIn(true)).toEqual(['on']);
    // Only the view's transaction: the next one on the same pool is back to the server's setting.
    const [after] = await db.$queryRawUnsafe<{ synchronous_commit: string }[]>('SHOW synchronous_commit');
    expect(after?.synchronous_commit).toBe('on');
  });

  it('dead-letters only records the database rejects; a transient failure is retried, never dead-lettered', async () => {
    const topic = counterTopic(uniqueName('poison'));
    await provisionTopics(kit.admin, [topic]);
    await db.$executeRawUnsafe('TRUNCATE test_counters');
    const inner = counterView(uniqueName('poison_view'), topic);
    let transientFailures = 1;
    // Keys must be numeric for this view: PostgreSQL rejects 'x' with 22P02 (invalid input syntax).
    const view = {
      ...inner,
      async apply(tx: Parameters<typeof inner.apply>[0], records: Parameters<typeof inner.apply>[1]) {
        if (transientFailures-- > 0) throw new Error('broker briefly away');
        await tx.$queryRawUnsafe(
          'SELECT unnest($1::text[])::int',
          records.map((r) => r.key),
        );
        await inner.apply(tx, records);
      },
    };
    await new EventProducer(kit.producer).send(topic, [
      { key: '1', value: { amount: 10 } },
      { key: 'x', value: { amount: 99 } },
      { key: '2', value: { amount: 20 } },
    ]);
    const materializer = new Materializer(kit.client, db, kit.admin, new DeadLetterPublisher(kit.producer), view, {
      retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 5 },
    });
    await materializer.start();
    try {
      await waitUntil(async () => (await materializer.status()).caughtUp || undefined, {
        timeoutMs: 30_000,
        description: 'poison view caught up',
      });
      expect(await counterRows(db)).toEqual([
        { key: '1', count: 1, sum: 10 },
        { key: '2', count: 1, sum: 20 },
      ]);
      const [letter] = await readRecords(kit.client, `${topic.name}.dlq`, uniqueName('poison_dlq'), 1);
      expect(letter?.key?.toString()).toBe('x');
      expect(letter?.headers[DeadLetterHeaders.errorMessage]).toMatch(/invalid input syntax for type integer/);
      expect(materializer.stats.deadLetters).toBe(1);
      expect(transientFailures).toBeLessThan(0);
    } finally {
      await materializer.stop();
    }
  });

  it('replays dead letters into a non-idempotent counter exactly once: two replays at once, again, and after a rebuild', async () => {
    const topic = counterTopic(uniqueName('replay'));
    await provisionTopics(kit.admin, [topic]);
    await db.$executeRawUnsafe('TRUNCATE test_counters');
    const inner = counterView(uniqueName('replay_view'), topic);
    let rejectOdd = true; // the bug, fixed below
    const view = {
      ...inner,
      async apply(tx: Parameters<typeof inner.apply>[0], records: Parameters<typeof inner.apply>[1]) {
        if (rejectOdd && records.some((r) => r.value !== null && r.value.amount % 2 !== 0))
          throw new UnprocessableRecordError('odd amount');
        await inner.apply(tx, records);
      },
    };
    const groupId = uniqueName('replay_group');
    const materializerOf = () =>
      new Materializer(kit.client, db, kit.admin, new DeadLetterPublisher(kit.producer), view, {
        groupId,
        retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 5 },
      });
    const caughtUp = (m: { status: Materializer<unknown>['status'] }, description: string) =>
      waitUntil(async () => (await m.status()).caughtUp || undefined, { timeoutMs: 30_000, description });
    await new EventProducer(kit.producer).send(topic, [
      { key: 'a', value: { amount: 10 } },
      { key: 'b', value: { amount: 11 } },
      { key: 'c', value: { amount: 20 } },
      { key: 'd', value: { amount: 13 } },
    ]);
    await kit.producer.send(topic.name, [{ key: 'e', value: '{not json' }]);
    // Another consumer's letter on the same DLQ (a valid event): never this view's to apply.
    await kit.producer.send(`${topic.name}.dlq`, [
      toDeadLetterRecord({
        record: {
          topic: topic.name,
          partition: 0,
          offset: 0n,
          key: Buffer.from('z'),
          value: Buffer.from('{"amount":1000}'),
          headers: {},
          timestamp: 0,
        },
        error: new Error('not ours'),
        consumer: 'someone-else',
        attempts: 1,
      }),
    ]);
    const materializer = materializerOf();
    await materializer.start();
    try {
      await caughtUp(materializer, 'the counter past its dead letters');
      expect(await counterRows(db)).toEqual([
        { key: 'a', count: 1, sum: 10 },
        { key: 'c', count: 1, sum: 20 },
      ]);
      expect(await materializer.deadLetterReplay.list({ limit: 10, offset: 0 })).toMatchObject({ total: 3, pending: 3 });

      rejectOdd = false;
      // Two instances replaying at once: they serialize on the replay position, each letter is applied once.
      const [one, two] = await Promise.all([materializer.deadLetterReplay.replay(), materializerOf().deadLetterReplay.replay()]);
      expect(one.applied + two.applied).toBe(2);
      expect(one.stillFailing + two.stillFailing).toBe(1);
      // (The second may have started once the first had passed everything: then it read nothing.)
      expect(one.otherConsumers).toBe(1);
      expect([...one.failures, ...two.failures].map((f) => f.key)).toEqual(['e']);
      const exact = [
        { key: 'a', count: 1, sum: 10 },
        { key: 'b', count: 1, sum: 11 },
        { key: 'c', count: 1, sum: 20 },
        { key: 'd', count: 1, sum: 13 },
      ];
      expect(await counterRows(db)).toEqual(exact);

      const again = await materializer.deadLetterReplay.replay();
      expect(again).toMatchObject({ applied: 0, stillFailing: 0, otherConsumers: 0, alreadyReplayed: 0, complete: true });
      expect(await materializer.deadLetterReplay.list({ limit: 10, offset: 0 })).toMatchObject({ total: 3, pending: 0 });

      // A rebuild applies the fixed records from the topic itself and supersedes the letters so far; only the
      // malformed record, dead-lettered again by the rebuild, is left for a replay.
      await materializer.rebuild();
      await caughtUp(materializer, 'the rebuilt counter');
      expect(await counterRows(db)).toEqual(exact);
      const afterRebuild = await materializer.deadLetterReplay.replay();
      expect(afterRebuild).toMatchObject({ applied: 0, stillFailing: 1, otherConsumers: 0 });
      expect(await counterRows(db)).toEqual(exact);
      expect(await materializer.deadLetterReplay.list({ limit: 10, offset: 0 })).toMatchObject({ total: 4, pending: 0 });
    } finally {
      await materializer.stop();
    }
  });

  describe('users changelog view', () => {
    const prefix = `${uniqueName('t')}_`;
    const users = withTopicPrefix(Topics.users, prefix);
    const view = changelogTableView<UserRecord>({
      name: `${prefix}users_view`,
      topic: users,
      table: 'test_users',
      keyColumn: 'id',
      columns: [
        { name: 'email', type: 'text', from: (u) => u.email },
        { name: 'name', type: 'text', from: (u) => u.name },
        { name: 'country', type: 'text', from: (u) => u.country },
        { name: 'updated_at', type: 'timestamptz', from: (u) => u.updated_at },
      ],
    });
    const user = (id: string, name: string, country = 'DE'): UserRecord => ({
      id,
      email: `${id}@example.com`,
      name,
      status: 'active',
      country,
      region: 'europe',
      address_line1: null,
      city: null,
      postal_code: null,
      created_at: '2026-11-25T10:00:00.000Z',
      updated_at: new Date(Date.UTC(2026, 10, 25, 10, 0, name.length)).toISOString(),
    });
    let materializer: Materializer<UserRecord>;
    const userRows = () =>
      db.$queryRawUnsafe<{ id: string; email: string; name: string; country: string; updated_at: Date }[]>(
        'SELECT id, email, name, country, updated_at FROM test_users ORDER BY id',
      );

    beforeAll(async () => {
      await provisionTopics(kit.admin, [users]);
      materializer = new Materializer(kit.client, db, kit.admin, new DeadLetterPublisher(kit.producer), view, {
        retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
      });
      await materializer.start();
    });

    afterAll(async () => {
      await materializer?.stop();
    });

    it('creates the users topic compacted, with its dead-letter topic', async () => {
      const description = await kit.admin.describeTopic(users.name);
      expect(description.config['cleanup.policy']).toBe('compact');
      expect(description.partitions).toBe(Topics.users.partitions);
      expect(await kit.admin.listTopics()).toContain(`${users.name}.dlq`);
    });

    it('applies updates, removes a row on its tombstone, and reports caught up', async () => {
      const producer = new EventProducer(kit.producer);
      await producer.send(users, [
        { key: 'u1', value: user('u1', 'Ada') },
        { key: 'u2', value: user('u2', 'Grace') },
        { key: 'u3', value: user('u3', 'Edsger') },
      ]);
      await producer.send(users, [
        { key: 'u1', value: user('u1', 'Ada Lovelace', 'GB') },
        { key: 'u2', value: null },
      ]);
      await waitUntil(async () => (await materializer.status()).caughtUp || undefined, {
        timeoutMs: 30_000,
        description: 'users view caught up',
      });
      const rows = await userRows();
      expect(rows.map((r) => [r.id, r.name, r.country])).toEqual([
        ['u1', 'Ada Lovelace', 'GB'],
        ['u3', 'Edsger', 'DE'],
      ]);
    });

    it('sends malformed records to the DLQ with the reason in headers and keeps the partition moving', async () => {
      // Same key → same partition, so the good record after the bad ones proves the partition moved on.
      await kit.producer.send(users.name, [
        { key: 'u9', value: '{this is not json' },
        { key: 'u9', value: JSON.stringify({ ...user('u9', 'Bad'), email: 'not-an-email' }) },
      ]);
      await new EventProducer(kit.producer).send(users, [{ key: 'u9', value: user('u9', 'Barbara') }]);
      await waitUntil(async () => (await userRows()).find((r) => r.id === 'u9' && r.name === 'Barbara'), {
        timeoutMs: 30_000,
        description: 'the record after the malformed ones to be applied',
      });
      const letters = await readRecords(kit.client, `${users.name}.dlq`, uniqueName('dlq_reader'), 2);
      expect(letters.map((l) => l.value?.toString())).toEqual([
        '{this is not json',
        JSON.stringify({ ...user('u9', 'Bad'), email: 'not-an-email' }),
      ]);
      expect(letters[0]?.headers[DeadLetterHeaders.errorMessage]).toMatch(/is not JSON/);
      expect(letters[1]?.headers[DeadLetterHeaders.errorMessage]).toMatch(/does not match its schema: email/);
      for (const letter of letters) {
        expect(letter.headers[DeadLetterHeaders.originalTopic]).toBe(users.name);
        expect(letter.headers[DeadLetterHeaders.consumer]).toBe(view.name);
        expect(letter.key?.toString()).toBe('u9');
      }
      expect(materializer.stats.deadLetters).toBe(2);
    });

    it('catchUp() resolves once everything written before the call is in the view', async () => {
      await new EventProducer(kit.producer).send(users, [{ key: 'u-join', value: user('u-join', 'Joined') }]);
      await materializer.catchUp(30_000);
      // No polling: the row must be there the moment catchUp resolves.
      expect((await userRows()).find((r) => r.id === 'u-join')?.name).toBe('Joined');
    });

    it('rebuild replays the log into a view identical to the live one', async () => {
      const producer = new EventProducer(kit.producer);
      for (let round = 0; round < 5; round++) {
        await producer.send(
          users,
          Array.from({ length: 200 }, (_, i) => ({
            key: `bulk${i}`,
            value: (i + round) % 7 === 0 ? null : user(`bulk${i}`, `name ${i} round ${round}`),
          })),
        );
      }
      await waitUntil(async () => (await materializer.status()).caughtUp || undefined, {
        timeoutMs: 30_000,
        description: 'users view caught up before rebuild',
      });
      const live = await userRows();
      expect(live.length).toBeGreaterThan(150);

      await materializer.rebuild();
      await waitUntil(async () => (await materializer.status()).caughtUp || undefined, {
        timeoutMs: 60_000,
        description: 'users view caught up after rebuild',
      });
      expect(await userRows()).toEqual(live);
    });
  });
});
