import { Topics, type UserRecord } from '@shop/contracts';
import type { Admin, BatchConsumerOptions, IncomingRecord, KafkaClient, Producer } from '../client/kafka-client.port';
import { DeadLetterPublisher } from '../consumer/dead-letter';
import { Materializer, type MaterializedView, type MaterializerOptions, type ViewRecord } from './materializer';
import type { SqlExecutor, TransactionalDatabase } from './sql-executor';

/** Unit test of the counting hooks with in-memory fakes (the SQL behaviour is covered by materializer.int-spec.ts). */
describe('Materializer stats and onCommitted', () => {
  const user = (id: string): UserRecord => ({
    id,
    email: `${id}@example.com`,
    name: id,
    status: 'active',
    country: 'DE',
    region: 'europe',
    address_line1: '1 Hauptstraße',
    city: 'Berlin',
    postal_code: '10115',
    created_at: '2026-11-25T10:00:00.000Z',
    updated_at: '2026-11-25T10:00:00.000Z',
  });
  const record = (offset: number, value: string | null): IncomingRecord => ({
    topic: 'users',
    partition: 0,
    offset: BigInt(offset),
    key: Buffer.from(`u-${offset}`),
    value: value === null ? null : Buffer.from(value),
    headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    timestamp: 0,
  });

  function setup(
    apply: (records: readonly ViewRecord<UserRecord>[]) => Promise<void>,
    extra: Partial<MaterializerOptions<UserRecord>> = {},
  ) {
    let position = 0n;
    const tx: SqlExecutor = {
      $queryRawUnsafe: async <T>(query: string) => {
        // OffsetStore.moveForward: the new position is a literal of its VALUES; it answers the old one.
        const next = /VALUES \('[^']*', '[^']*', \d+, (\d+), now\(\)\)/.exec(query)?.[1];
        if (next === undefined) return [{ next_offset: position.toString() }] as T;
        const stored = position;
        if (BigInt(next) > position) position = BigInt(next);
        return [{ stored: stored.toString() }] as T;
      },
      $executeRawUnsafe: async () => 0,
    };
    const db: TransactionalDatabase = {
      ...tx,
      $transaction: async (fn) => {
        const saved = position;
        try {
          return await fn(tx);
        } catch (error) {
          position = saved;
          throw error;
        }
      },
    };
    let options: BatchConsumerOptions | undefined;
    const client = {
      batchConsumer: () => ({
        start: async (o: BatchConsumerOptions) => {
          options = o;
        },
        stop: async () => undefined,
      }),
    } as unknown as KafkaClient;
    const sent: string[] = [];
    const producer: Producer = {
      send: async (topic) => {
        sent.push(topic);
      },
      disconnect: async () => undefined,
    };
    const view: MaterializedView<UserRecord> = {
      name: 'users',
      topic: Topics.users,
      apply: (_tx, records) => apply(records),
      reset: async () => undefined,
    };
    const committed: { offsets: bigint[]; traceparents: (string | undefined)[] }[] = [];
    const materializer = new Materializer(client, db, {} as Admin, new DeadLetterPublisher(producer), view, {
      retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
      onCommitted: (records) =>
        committed.push({ offsets: records.map((r) => r.offset), traceparents: records.map((r) => r.headers['traceparent']) }),
      ...extra,
    });
    const seeks: bigint[] = [];
    const deliver = async (records: IncomingRecord[], isActive: () => boolean = () => true) => {
      if (!options) throw new Error('not started');
      await options.eachBatch(
        { topic: 'users', partition: 0, records, highWatermark: 0n },
        { isActive, heartbeat: async () => undefined, seek: (offset) => seeks.push(offset) },
      );
    };
    /** The database loses its last commits (a crash with asynchronous commit): the stored position goes back. */
    const loseCommitsBackTo = (offset: bigint) => {
      position = offset;
    };
    return { materializer, deliver, committed, sent, seeks, loseCommitsBackTo };
  }

  it('counts applied records, dead letters, transactions and failed transactions, and reports each commit', async () => {
    let failures = 1;
    const { materializer, deliver, committed, sent } = setup(async () => {
      if (failures-- > 0) throw new Error('database away');
    });
    await materializer.start();
    await deliver([record(0, JSON.stringify(user('u-0'))), record(1, '{not json'), record(2, JSON.stringify(user('u-2')))]);

    expect(materializer.stats).toEqual({ recordsApplied: 2, deadLetters: 1, transactions: 1, errors: 1 });
    expect(sent).toEqual(['users.dlq']);
    expect(committed).toEqual([
      { offsets: [0n, 2n], traceparents: [`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`] },
    ]);

    // Redelivered records are behind the position: committed with nothing applied.
    await deliver([record(3, JSON.stringify(user('u-3')))]);
    expect(materializer.stats).toMatchObject({ recordsApplied: 3, transactions: 2 });
    expect(committed[1]?.offsets).toEqual([3n]);
  });

  it('stalls the partition through an outage of any length and resumes by itself: nothing skipped, nothing dead-lettered', async () => {
    let outage = 7; // failed transactions before the database is back (the inner retry makes 2 per attempt)
    const stalls: number[] = [];
    const resumed: number[] = [];
    const { materializer, deliver, committed, sent } = setup(
      async () => {
        if (outage-- > 0) throw Object.assign(new Error('the database system is starting up'), { code: '57P03' });
      },
      { maxStallBackoffMs: 1, onStalled: (s) => stalls.push(s.attempt), onResumed: (r) => resumed.push(r.attempts) },
    );
    await materializer.start();
    await deliver([record(0, JSON.stringify(user('u-0')))]);
    expect(committed).toEqual([{ offsets: [0n], traceparents: [`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`] }]);
    expect(sent).toEqual([]);
    expect(materializer.stats).toEqual({ recordsApplied: 1, deadLetters: 0, transactions: 1, errors: 7 });
    expect(stalls[0]).toBe(1);
    expect(resumed).toEqual([4]); // 3 stalled attempts of 2 transactions each, the 4th gets through on its retry
  });

  it('goes back to the stored position when the database lost commits, and applies those records again', async () => {
    const regressions: string[] = [];
    const { materializer, deliver, committed, seeks, loseCommitsBackTo } = setup(async () => undefined, {
      onRegressed: (r) => regressions.push(`${r.stored}<${r.known}`),
    });
    await materializer.start();
    await deliver([record(0, JSON.stringify(user('u-0'))), record(1, JSON.stringify(user('u-1')))]);
    loseCommitsBackTo(1n); // record 1 and the position 2 were in the lost commit
    await deliver([record(2, JSON.stringify(user('u-2')))]);
    expect(regressions).toEqual(['1<2']);
    expect(seeks).toEqual([1n]);
    expect(committed.map((c) => c.offsets)).toEqual([[0n, 1n]]); // nothing applied past the gap
    // The consumer fetches again from the stored position: record 1 is applied again, then record 2.
    await deliver([record(1, JSON.stringify(user('u-1'))), record(2, JSON.stringify(user('u-2')))]);
    expect(committed.map((c) => c.offsets)).toEqual([
      [0n, 1n],
      [1n, 2n],
    ]);
  });

  it('lets go of a stalled chunk once the partition is no longer its own (stop or rebalance), committing nothing', async () => {
    let active = true;
    const { materializer, deliver, committed } = setup(
      async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:55432');
      },
      {
        maxStallBackoffMs: 1,
        onStalled: (s) => {
          if (s.attempt >= 1) setTimeout(() => (active = false), 20);
        },
      },
    );
    await materializer.start();
    await deliver([record(0, JSON.stringify(user('u-0')))], () => active);
    expect(committed).toEqual([]);
    expect(materializer.stats.errors).toBeGreaterThanOrEqual(2);
  });
});
