import { randomUUID } from 'node:crypto';
import { decodeRecord, deadLetterTopicName } from '@shop/contracts';
import type { Admin, IncomingRecord, KafkaClient } from '../client/kafka-client.port';
import { isLetterOf, readDeadLetter, type DeadLetterInfo } from '../consumer/dead-letter';
import { readTopicRange } from '../consumer/read-range';
import { DEFAULT_RETRY_POLICY, RetriesExhaustedError, withRetries, type RetryPolicy } from '../consumer/retry';
import type { MaterializedView, ViewRecord } from './materializer';
import { OffsetStore } from './offset-store';
import { isRecordSpecificError } from './record-errors';
import type { SqlExecutor, TransactionalDatabase } from './sql-executor';

/** The replay's positions on `<topic>.dlq`, beside the view's own in kafka_consumer_offsets. */
export const replayPositionsName = (view: string): string => `${view}:dlq`;

/** Failures listed in a report (the counts are complete; the list stops here). */
export const MAX_LISTED_FAILURES = 100;
/** Characters of a letter's value shown by a listing. */
export const MAX_LISTED_VALUE_CHARS = 2000;

/**
 * Why replaying this view's dead letters is not safe, or undefined when it is. A replayed record is applied
 * after the records of its key that came later. Views of event topics dedupe by id, so the late arrival is the
 * same as an on-time one. A latest-wins view (a changelog table, or any view of a compacted topic) would let an
 * old row overwrite a newer one: rebuild it instead, which applies every record in log order.
 */
export function replayRefusal(view: Pick<MaterializedView<unknown>, 'name' | 'topic' | 'ordering'>): string | undefined {
  const compacted = (view.topic.config['cleanup.policy'] ?? '').split(',').includes('compact');
  if (view.ordering !== 'latest-wins' && !compacted) return undefined;
  return (
    `view ${view.name} keeps the latest record per key of ${view.topic.name}: a replayed letter could overwrite a newer row; ` +
    `rebuild the view instead (POST /admin/views/${view.name}/rebuild), which applies every record in log order`
  );
}

/** Thrown by replay() for a view whose letters must not be replayed (replayRefusal). */
export class ReplayRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayRefusedError';
  }
}

/**
 * The replay stopped on a failure that is not the letter's fault (the database or the broker away, a join's
 * catch-up timing out): what was applied stays applied with its position; the next replay resumes there.
 */
export class ReplayInterruptedError extends Error {
  constructor(
    message: string,
    readonly report: DeadLetterReplayReport,
  ) {
    super(message);
    this.name = 'ReplayInterruptedError';
  }
}

export interface ReplayFailure {
  /** The letter on `<topic>.dlq`. */
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly originalPartition: number;
  readonly originalOffset: bigint;
  readonly error: string;
}

export interface DeadLetterReplayReport {
  readonly view: string;
  /** `<topic>.dlq` */
  readonly topic: string;
  /** Letters applied to the view now. */
  applied: number;
  /** Letters of this view that failed again (undecodable, or the view still rejects them): left where they are, not dead-lettered again. */
  stillFailing: number;
  /** Records of the DLQ that are not this view's letters (other consumers of the topic): passed over. */
  otherConsumers: number;
  /** Letters another replay (another instance) applied first. */
  alreadyReplayed: number;
  /** The first MAX_LISTED_FAILURES failures with their errors. */
  readonly failures: ReplayFailure[];
  /** False when the replay stopped early (the service stopping): the next one resumes. */
  complete: boolean;
}

export interface ListedDeadLetter extends DeadLetterInfo {
  /** The value as UTF-8 text (null: tombstone), at most MAX_LISTED_VALUE_CHARS characters. */
  readonly value: string | null;
  /** Not reached by a replay yet (a replay has passed every letter before the stored replay position, or a rebuild superseded it). */
  readonly pending: boolean;
}

export interface DeadLetterPage {
  readonly total: number;
  readonly pending: number;
  readonly limit: number;
  readonly offset: number;
  readonly items: ListedDeadLetter[];
}

export interface DeadLetterReplayOptions {
  /** The consumer name the view's letters carry in `dlq.consumer` (the materializer's group). */
  readonly consumer: string;
  readonly retry?: RetryPolicy;
  readonly transactionTimeoutMs?: number;
  readonly synchronousCommit?: boolean;
  /** See readTopicRange. */
  readonly idleTimeoutMs?: number;
}

/** A decoded record for the view, or the decoding error; the same decoding as live records (Materializer). */
export function decodeViewRecord<TValue>(
  view: Pick<MaterializedView<TValue>, 'topic'>,
  record: Pick<IncomingRecord, 'key' | 'value' | 'headers' | 'timestamp'>,
  partition: number,
  offset: bigint,
): ViewRecord<TValue> {
  const d = decodeRecord(view.topic, record.key, record.value);
  return {
    key: d.key,
    value: d.kind === 'value' ? d.value : null,
    partition,
    offset,
    timestamp: record.timestamp,
    headers: record.headers,
  };
}

type Outcome = 'applied' | 'already' | { failed: Error };

/**
 * Replays one view's dead letters into the view, without producing to the original topic (this service is not
 * its writer): each letter of `<topic>.dlq` whose `dlq.consumer` is this view's is decoded and applied as the
 * record it was, in a transaction that also moves the replay position (`<view>:dlq` in
 * kafka_consumer_offsets). A crash, a second instance replaying at the same time or a second replay never
 * applies a letter twice; a replay resumes where the last one stopped. A letter that fails again stays where it
 * is (the position moves past it, so it is reported once) and is not dead-lettered again.
 */
export class DeadLetterReplay<TValue> {
  private readonly positions: OffsetStore;
  readonly topic: string;

  constructor(
    private readonly client: KafkaClient,
    private readonly db: TransactionalDatabase,
    private readonly admin: Admin,
    private readonly view: MaterializedView<TValue>,
    private readonly options: DeadLetterReplayOptions,
  ) {
    this.topic = deadLetterTopicName(view.topic.name);
    this.positions = new OffsetStore(replayPositionsName(view.name), this.topic);
  }

  /** Replays every letter past the stored positions, up to the DLQ's end as it is now. */
  async replay(stillWanted: () => boolean = () => true): Promise<DeadLetterReplayReport> {
    const refusal = replayRefusal(this.view);
    if (refusal) throw new ReplayRefusedError(refusal);
    const report: DeadLetterReplayReport = {
      view: this.view.name,
      topic: this.topic,
      applied: 0,
      stillFailing: 0,
      otherConsumers: 0,
      alreadyReplayed: 0,
      failures: [],
      complete: false,
    };
    const stored = new Map((await this.positions.load(this.db)).map((p) => [p.partition, p.nextOffset]));
    try {
      const { complete } = await readTopicRange(this.client, this.admin, {
        topic: this.topic,
        groupId: `${this.options.consumer}.dlq-replay.${randomUUID()}`,
        from: stored,
        stillWanted,
        idleTimeoutMs: this.options.idleTimeoutMs,
        onRecords: (partition, records) => this.replayBatch(partition, records, report, stillWanted),
      });
      report.complete = complete;
      return report;
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      throw new ReplayInterruptedError(`replay of the dead letters of view ${this.view.name} interrupted: ${cause.message}`, report);
    }
  }

  /** This view's letters (every letter on the DLQ now, filtered), one page, with whether a replay has passed each. */
  async list(page: { readonly limit: number; readonly offset: number }): Promise<DeadLetterPage> {
    const stored = new Map((await this.positions.load(this.db)).map((p) => [p.partition, p.nextOffset]));
    const items: ListedDeadLetter[] = [];
    let total = 0;
    let pending = 0;
    await readTopicRange(this.client, this.admin, {
      topic: this.topic,
      groupId: `${this.options.consumer}.dlq-read.${randomUUID()}`,
      idleTimeoutMs: this.options.idleTimeoutMs,
      onRecords: async (_partition, records) => {
        for (const record of records) {
          const letter = readDeadLetter(record);
          if (!isLetterOf(letter, this.options.consumer, this.view.topic.name)) continue;
          const isPending = letter.offset >= (stored.get(letter.partition) ?? 0n);
          if (isPending) pending += 1;
          // Only the page is kept: a big DLQ is counted, not held.
          if (total >= page.offset && items.length < page.limit) {
            const value = record.value === null ? null : record.value.toString('utf8').slice(0, MAX_LISTED_VALUE_CHARS);
            items.push({ ...letter, value, pending: isPending });
          }
          total += 1;
        }
      },
    });
    return { total, pending, limit: page.limit, offset: page.offset, items };
  }

  /**
   * Marks every letter on the DLQ now as done, in the rebuild's transaction (it truncated the view): the rebuild
   * applies their records again from the original topic, so replaying them afterwards would apply them twice.
   */
  async supersede(tx: SqlExecutor, ends: readonly { partition: number; high: bigint }[]): Promise<void> {
    for (const { partition, high } of ends) await this.positions.moveForward(tx, partition, high);
  }

  /** The DLQ's high watermarks, for supersede (none when the DLQ topic does not exist). */
  async ends(): Promise<readonly { partition: number; high: bigint }[]> {
    if (!(await this.admin.listTopics()).includes(this.topic)) return [];
    return this.admin.fetchOffsets(this.topic);
  }

  private async replayBatch(
    partition: number,
    records: readonly IncomingRecord[],
    report: DeadLetterReplayReport,
    stillWanted: () => boolean,
  ): Promise<void> {
    // Where the stored position is once the records handled so far are accounted for.
    let committed: bigint | undefined;
    let handled: bigint | undefined;
    for (const record of records) {
      if (!stillWanted()) break;
      handled = record.offset + 1n;
      const letter = readDeadLetter(record);
      if (!isLetterOf(letter, this.options.consumer, this.view.topic.name)) {
        report.otherConsumers += 1;
        continue;
      }
      const outcome = await this.replayOne(letter, record);
      committed = handled;
      if (outcome === 'applied') report.applied += 1;
      else if (outcome === 'already') report.alreadyReplayed += 1;
      else {
        report.stillFailing += 1;
        if (report.failures.length < MAX_LISTED_FAILURES) {
          report.failures.push({
            partition,
            offset: letter.offset,
            key: letter.key,
            originalPartition: letter.original.partition,
            originalOffset: letter.original.offset,
            error: outcome.failed.message,
          });
        }
      }
    }
    // Letters of other consumers at the end of the batch: move past them too (they are never ours).
    if (handled !== undefined && handled !== committed) await this.transaction((tx) => this.advance(tx, partition, handled));
  }

  private async replayOne(letter: DeadLetterInfo, record: IncomingRecord): Promise<Outcome> {
    let decoded: ViewRecord<TValue>;
    try {
      decoded = decodeViewRecord(
        this.view,
        { key: record.key, value: record.value, headers: letter.originalHeaders, timestamp: letter.original.timestamp },
        letter.original.partition,
        letter.original.offset,
      );
    } catch (error) {
      return this.passOver(letter, error as Error);
    }
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    try {
      return await withRetries(
        policy,
        () =>
          this.transaction(async (tx) => {
            const stored = await this.positions.moveForward(tx, letter.partition, letter.offset + 1n);
            if (stored > letter.offset) return 'already';
            await this.view.apply(tx, [decoded]);
            return 'applied';
          }),
        (error) => !isRecordSpecificError(error),
      );
    } catch (caught) {
      const error = caught instanceof RetriesExhaustedError ? caught.lastError : (caught as Error);
      if (!isRecordSpecificError(error)) throw error;
      return this.passOver(letter, error);
    }
  }

  /** The letter still fails: the position moves past it (it stays on the DLQ; listed, not dead-lettered again). */
  private async passOver(letter: DeadLetterInfo, error: Error): Promise<Outcome> {
    const moved = await this.transaction((tx) => this.advance(tx, letter.partition, letter.offset + 1n));
    return moved ? { failed: error } : 'already';
  }

  /** Moves the position forward to `next` (never back); false when it was there already. */
  private async advance(tx: SqlExecutor, partition: number, next: bigint): Promise<boolean> {
    return (await this.positions.moveForward(tx, partition, next)) < next;
  }

  private transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.$transaction(
      async (tx) => {
        if (this.options.synchronousCommit !== true) await tx.$executeRawUnsafe('SET LOCAL synchronous_commit = off');
        return work(tx);
      },
      { timeout: this.options.transactionTimeoutMs ?? 60_000, maxWait: 10_000 },
    );
  }
}
