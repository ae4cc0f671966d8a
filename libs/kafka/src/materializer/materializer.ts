import type { TopicDefinition } from '@shop/contracts';
import type { Admin, BatchControl, BatchConsumer, Headers, IncomingRecord, KafkaClient, PartitionBatch } from '../client/kafka-client.port';
import { DeadLetterPublisher, type DeadLetter } from '../consumer/dead-letter';
import { DEFAULT_RETRY_POLICY, RetriesExhaustedError, withRetries, type RetryPolicy } from '../consumer/retry';
import { DeadLetterReplay, decodeViewRecord } from './dead-letter-replay';
import { OffsetStore } from './offset-store';
import { isRecordSpecificError } from './record-errors';
import type { SqlExecutor, TransactionalDatabase } from './sql-executor';

/**
 * The partition's stored position is behind what this process committed: the database lost commits (a crash
 * with asynchronous commit, a restore). The transaction that saw it applied nothing; the consumer goes back
 * to the stored position and applies those records again.
 */
export class PositionRegressedError extends Error {
  constructor(
    readonly partition: number,
    readonly stored: bigint,
    readonly known: bigint,
  ) {
    super(`partition ${partition}: the stored position ${stored} is behind ${known}, which this process had committed`);
    this.name = 'PositionRegressedError';
  }
}

/** A failed commit worth trying again at once: neither the records' fault nor a position that went back. */
const isRetriableCommitFailure = (error: Error) => !isRecordSpecificError(error) && !(error instanceof PositionRegressedError);

/** One decoded record handed to a view. `value` is null for a tombstone. */
export interface ViewRecord<TValue> {
  readonly key: string;
  readonly value: TValue | null;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * A materialized view of one topic. `apply` receives the records of one partition in offset order and
 * must write them with set-based SQL inside the given transaction; the materializer commits the
 * partition's new position in that same transaction.
 */
export interface MaterializedView<TValue> {
  /** Unique within the database: names the view's positions. */
  readonly name: string;
  readonly topic: TopicDefinition<TValue>;
  /**
   * How a record applied late would land. 'latest-wins' (a changelog table: the newest record per key is the
   * row) means it could overwrite a newer row, so its dead letters are never replayed (replayRefusal). Default
   * 'deduplicated': records are events its tables dedupe by id, so applying one late is like applying it on time.
   */
  readonly ordering?: 'latest-wins' | 'deduplicated';
  apply(tx: SqlExecutor, records: readonly ViewRecord<TValue>[]): Promise<void>;
  /** Empties the view's tables (for rebuild). Runs in the same transaction that clears the positions. */
  reset(tx: SqlExecutor): Promise<void>;
}

export interface MaterializerOptions<TValue = unknown> {
  /** Defaults to `view.name`. Members with the same group share the partitions. */
  readonly groupId?: string;
  /** Records written per database transaction. */
  readonly maxRecordsPerTransaction?: number;
  readonly retry?: RetryPolicy;
  readonly partitionsConsumedConcurrently?: number;
  /** See BatchConsumerOptions.sessionTimeoutMs. */
  readonly sessionTimeoutMs?: number;
  /** Interactive-transaction timeout (ms). */
  readonly transactionTimeoutMs?: number;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  /** After each committed transaction, with the records it applied (empty when it only moved the position). */
  readonly onCommitted?: (records: readonly ViewRecord<TValue>[], partition: number) => void;
  readonly onCrash?: (error: Error) => void;
  /**
   * A chunk could not be committed for a reason that is not the records' fault (database or broker away,
   * a join's catch-up timing out): the partition stalls and the chunk is tried again after `retryInMs`.
   * Called on the first failure of a stall and then at most every few seconds, for logging.
   */
  readonly onStalled?: (stall: { partition: number; attempt: number; retryInMs: number; error: Error }) => void;
  /** The partition moved again after a stall. */
  readonly onResumed?: (resumed: { partition: number; attempts: number; stalledMs: number }) => void;
  /** The stored position went back (commits lost by the database): the partition is replayed from it. */
  readonly onRegressed?: (regressed: PositionRegressedError) => void;
  /** Longest wait between two attempts of a stalled chunk (default 2000 ms). */
  readonly maxStallBackoffMs?: number;
  /**
   * Wait for the WAL flush of every view transaction (PostgreSQL `synchronous_commit`; default false: off).
   * A view is derived state and its position commits in the same transaction, so an asynchronous commit
   * that a PostgreSQL crash loses rewinds both together: the chunk is applied again from the older position,
   * and the events a processor produced in it are produced again with the same ids. Nothing is lost or
   * doubled, and each commit stops waiting for a disk flush. True for a view whose writes must survive a
   * database crash on their own.
   */
  readonly synchronousCommit?: boolean;
}

export interface PartitionStatus {
  readonly partition: number;
  /** Next offset the view will apply (everything before it is in the view). */
  readonly nextOffset: bigint;
  readonly highWatermark: bigint;
  readonly lag: bigint;
  /** When the view last committed on this partition. */
  readonly updatedAt: Date | null;
}

export interface MaterializerStatus {
  readonly view: string;
  readonly topic: string;
  readonly running: boolean;
  readonly caughtUp: boolean;
  readonly lag: bigint;
  readonly partitions: readonly PartitionStatus[];
}

export interface MaterializerStats {
  recordsApplied: number;
  deadLetters: number;
  transactions: number;
  /** Transactions that failed (each attempt: retried, isolated or stalling the partition). */
  errors: number;
}

/**
 * Keeps a view of a topic in PostgreSQL with effectively-once semantics: each transaction writes a
 * chunk of records through the view AND the partition's next offset, so after a crash at any moment
 * the view resumes exactly after the last committed chunk. Positions live in the database, not in
 * Kafka's group offsets; on every assignment the consumer seeks to them.
 */
export class Materializer<TValue> {
  private consumer: BatchConsumer | undefined;
  private readonly offsets: OffsetStore;
  /** Positions known to this process (committed by it or loaded on assignment). */
  private readonly known = new Map<number, bigint>();
  private readonly deadLetters: DeadLetterPublisher;
  /** Replays this view's dead letters into it (POST /admin/views/:name/dead-letters/replay). */
  readonly deadLetterReplay: DeadLetterReplay<TValue>;
  readonly stats: MaterializerStats = { recordsApplied: 0, deadLetters: 0, transactions: 0, errors: 0 };

  constructor(
    private readonly client: KafkaClient,
    private readonly db: TransactionalDatabase,
    private readonly admin: Admin,
    deadLetters: DeadLetterPublisher,
    private readonly view: MaterializedView<TValue>,
    private readonly options: MaterializerOptions<TValue> = {},
  ) {
    this.offsets = new OffsetStore(view.name, view.topic.name);
    this.deadLetters = deadLetters;
    this.deadLetterReplay = new DeadLetterReplay(client, db, admin, view, {
      consumer: options.groupId ?? view.name,
      retry: options.retry,
      transactionTimeoutMs: options.transactionTimeoutMs,
      synchronousCommit: options.synchronousCommit,
    });
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  /** The topic the view reads (prefixed). */
  get topicName(): string {
    return this.view.topic.name;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const consumer = this.client.batchConsumer();
    this.consumer = consumer;
    await consumer.start({
      groupId: this.options.groupId ?? this.view.name,
      topics: [this.view.topic.name],
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      onAssigned: async (assignment) => {
        const mine = assignment.find((a) => a.topic === this.view.topic.name)?.partitions ?? [];
        // The database may be away right now (restarting): wait for it rather than crash the consumer. Until
        // the positions are known the batches that arrive are filtered in the transaction (offsets.moveForward).
        const loaded = await this.untilDone(
          () => this.offsets.load(this.db),
          (attempt, retryInMs, error) => this.options.onStalled?.({ partition: -1, attempt, retryInMs, error }),
          () => this.consumer === consumer,
        );
        if (loaded === undefined) return [];
        const stored = new Map(loaded.value.map((p) => [p.partition, p.nextOffset]));
        this.known.clear();
        return mine.map((partition) => {
          const offset = stored.get(partition) ?? 0n;
          this.known.set(partition, offset);
          return { topic: this.view.topic.name, partition, offset };
        });
      },
      eachBatch: (batch, control) => this.handleBatch(batch, control),
      onCrash: this.options.onCrash,
    });
  }

  /** Stops consuming; the chunk in flight finishes (and commits) first. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  /**
   * Empties the view and its positions in one transaction, then replays the topic from the beginning. The
   * dead letters on the DLQ so far are superseded in the same transaction (the replay of the topic applies
   * their records again, or dead-letters them again), so a later dead-letter replay does not apply them twice.
   */
  async rebuild(): Promise<void> {
    const wasRunning = this.running;
    await this.stop();
    const deadLetterEnds = await this.deadLetterReplay.ends();
    await this.db.$transaction(async (tx) => {
      await this.view.reset(tx);
      await this.offsets.clear(tx);
      await this.deadLetterReplay.supersede(tx, deadLetterEnds);
    });
    this.known.clear();
    if (wasRunning) await this.start();
  }

  /** Positions from the database against the broker's high watermarks. */
  async status(): Promise<MaterializerStatus> {
    const [stored, watermarks] = await Promise.all([this.offsets.load(this.db), this.admin.fetchOffsets(this.view.topic.name)]);
    const byPartition = new Map(stored.map((p) => [p.partition, p]));
    const partitions = [...watermarks]
      .sort((a, b) => a.partition - b.partition)
      .map((w) => {
        const position = byPartition.get(w.partition);
        // A partition never written by this view is at the low watermark (nothing to apply before it).
        const nextOffset = position?.nextOffset ?? w.low;
        const lag = w.high > nextOffset ? w.high - nextOffset : 0n;
        return { partition: w.partition, nextOffset, highWatermark: w.high, lag, updatedAt: position?.updatedAt ?? null };
      });
    const lag = partitions.reduce((sum, p) => sum + p.lag, 0n);
    return { view: this.view.name, topic: this.view.topic.name, running: this.running, caughtUp: lag === 0n, lag, partitions };
  }

  /**
   * Resolves once the view holds everything the topic held when it was called: each partition's stored
   * position reaches the high watermark read now. Stream–table joins call it on the table's view before
   * they apply a chunk of the stream, so a record written to the table before the stream's record was
   * written is always seen. Throws after `timeoutMs`.
   */
  async catchUp(timeoutMs = 30_000, pollMs = 50): Promise<void> {
    const targets = await this.admin.fetchOffsets(this.view.topic.name);
    await this.catchUpTo(
      targets.map((t) => ({ partition: t.partition, offset: t.high, low: t.low })),
      timeoutMs,
      pollMs,
    );
  }

  /**
   * Resolves once each partition's stored position reaches `offset` (a join's recorded position of the table's
   * topic: no broker round trip). A partition the view never wrote counts as at `low` (default 0). Throws after `timeoutMs`.
   */
  async catchUpTo(
    targets: readonly { readonly partition: number; readonly offset: bigint; readonly low?: bigint }[],
    timeoutMs = 30_000,
    pollMs = 50,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = new Map((await this.offsets.load(this.db)).map((p) => [p.partition, p.nextOffset]));
      const behind = targets.filter((t) => (stored.get(t.partition) ?? t.low ?? 0n) < t.offset);
      if (behind.length === 0) return;
      if (Date.now() >= deadline) {
        const detail = behind.map((t) => `p${t.partition} at ${stored.get(t.partition) ?? t.low ?? 0n}/${t.offset}`).join(', ');
        throw new Error(`view ${this.view.name} did not catch up with ${this.view.topic.name} within ${timeoutMs} ms (${detail})`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async handleBatch(batch: PartitionBatch, control: BatchControl): Promise<void> {
    const known = this.known.get(batch.partition);
    // Records before the known position are already in the view (a seek that arrived after the fetch).
    const fresh = known === undefined ? batch.records : batch.records.filter((r) => r.offset >= known);
    const chunkSize = this.options.maxRecordsPerTransaction ?? 5000;
    for (let start = 0; start < fresh.length; start += chunkSize) {
      if (!control.isActive()) return;
      const chunk = fresh.slice(start, start + chunkSize);
      const started = Date.now();
      const done = await this.untilDone(
        async () => {
          try {
            await this.processChunk(batch.partition, chunk);
            return undefined;
          } catch (error) {
            if (error instanceof PositionRegressedError) return error;
            throw error;
          }
        },
        (attempt, retryInMs, error) => this.options.onStalled?.({ partition: batch.partition, attempt, retryInMs, error }),
        () => control.isActive(),
      );
      // Abandoned (stopping, or the partition went to another member): whoever owns it resumes from the stored position.
      if (done === undefined) return;
      if (done.value instanceof PositionRegressedError) {
        // The records between the stored position and this chunk were never applied as far as the view knows:
        // fetch them again. (With synchronous commits this cannot happen; with asynchronous ones a database
        // crash can lose the last commits, view rows and position together.)
        this.known.set(batch.partition, done.value.stored);
        this.options.onRegressed?.(done.value);
        control.seek(done.value.stored);
        return;
      }
      if (done.attempts > 1)
        this.options.onResumed?.({ partition: batch.partition, attempts: done.attempts, stalledMs: Date.now() - started });
      await control.heartbeat();
    }
  }

  /**
   * Runs `work` until it succeeds (resolves with its value and the attempts it took) or `stillWanted()` turns
   * false (then resolves undefined). Every failure
   * here is transient by construction (record-specific ones are isolated and dead-lettered inside
   * processChunk), so the partition waits: an outage of the database or the broker of any length is
   * waited out, and nothing is dead-lettered or skipped because of it. Backoff doubles up to
   * maxStallBackoffMs; the wait is cut short when the work is no longer wanted.
   */
  private async untilDone<T>(
    work: () => Promise<T>,
    onFailure: (attempt: number, retryInMs: number, error: Error) => void,
    stillWanted: () => boolean,
  ): Promise<{ value: T; attempts: number } | undefined> {
    const maxWait = this.options.maxStallBackoffMs ?? 2000;
    let lastReport = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return { value: await work(), attempts: attempt };
      } catch (caught) {
        if (!stillWanted()) return undefined;
        const error =
          caught instanceof RetriesExhaustedError ? caught.lastError : caught instanceof Error ? caught : new Error(String(caught));
        const wait = Math.min(maxWait, 100 * 2 ** Math.min(attempt - 1, 10));
        if (attempt === 1 || Date.now() - lastReport >= 5000) {
          lastReport = Date.now();
          onFailure(attempt, wait, error);
        }
        for (const until = Date.now() + wait; Date.now() < until;) {
          if (!stillWanted()) return undefined;
          await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now())));
        }
      }
    }
  }

  private async processChunk(partition: number, records: readonly IncomingRecord[]): Promise<void> {
    const last = records[records.length - 1];
    if (!last) return;
    const decoded: ViewRecord<TValue>[] = [];
    const letters: DeadLetter[] = [];
    const consumerName = this.options.groupId ?? this.view.name;
    for (const record of records) {
      try {
        decoded.push(decodeViewRecord(this.view, record, partition, record.offset));
      } catch (error) {
        letters.push({ record, error: error as Error, consumer: consumerName, attempts: 1 });
      }
    }
    // Dead letters are on the broker before the position moves past them: a crash in between
    // republishes them (at least once in the DLQ) but never loses one.
    if (letters.length > 0) await this.publishDeadLetters(letters);

    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    try {
      await withRetries(policy, () => this.commit(partition, decoded, last.offset + 1n), isRetriableCommitFailure);
    } catch (caught) {
      const error = caught instanceof RetriesExhaustedError ? caught.lastError : (caught as Error);
      // Not the records' fault (an outage, a timeout, a bug): stall this partition; the consumer retries
      // the batch with backoff. Nothing is dead-lettered and nothing is skipped.
      if (!isRecordSpecificError(error)) throw error;
      // Some record breaks the view: isolate it, one record per transaction.
      await this.commitOneByOne(partition, records, decoded, policy, consumerName);
    }
  }

  private async commitOneByOne(
    partition: number,
    records: readonly IncomingRecord[],
    decoded: readonly ViewRecord<TValue>[],
    policy: RetryPolicy,
    consumerName: string,
  ): Promise<void> {
    const byOffset = new Map(records.map((r) => [r.offset, r]));
    for (const record of decoded) {
      try {
        await withRetries(policy, () => this.commit(partition, [record], record.offset + 1n), isRetriableCommitFailure);
      } catch (caught) {
        const exhausted = caught instanceof RetriesExhaustedError ? caught : undefined;
        const error = exhausted?.lastError ?? (caught as Error);
        if (!isRecordSpecificError(error)) throw error;
        const original = byOffset.get(record.offset);
        if (!original) throw error;
        await this.publishDeadLetters([{ record: original, error, consumer: consumerName, attempts: exhausted?.attempts ?? 1 }]);
        await this.commit(partition, [], record.offset + 1n);
      }
    }
    const last = records[records.length - 1];
    if (last) await this.commit(partition, [], last.offset + 1n);
  }

  private async publishDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    await this.deadLetters.publish(letters);
    this.stats.deadLetters += letters.length;
    for (const letter of letters) this.options.onDeadLetter?.(letter);
  }

  /** One transaction: move the position to `nextOffset` (locking it), apply what lay past the old one. */
  private async commit(partition: number, records: readonly ViewRecord<TValue>[], nextOffset: bigint): Promise<void> {
    let outcome: { applied: readonly ViewRecord<TValue>[]; position: bigint };
    try {
      outcome = await this.db.$transaction(
        async (tx) => {
          const stored = await this.offsets.moveForward(tx, partition, nextOffset, {
            asynchronousCommit: this.options.synchronousCommit !== true,
          });
          const known = this.known.get(partition);
          if (known !== undefined && stored < known) throw new PositionRegressedError(partition, stored, known);
          // Another member (or an earlier life of this one) already got this far: the position stayed.
          if (stored >= nextOffset) return { applied: [], position: stored };
          const pending = records.filter((r) => r.offset >= stored);
          if (pending.length > 0) await this.view.apply(tx, pending);
          return { applied: pending, position: nextOffset };
        },
        { timeout: this.options.transactionTimeoutMs ?? 60_000, maxWait: 10_000 },
      );
    } catch (error) {
      this.stats.errors += 1;
      throw error;
    }
    this.known.set(partition, outcome.position);
    this.stats.recordsApplied += outcome.applied.length;
    this.stats.transactions += 1;
    this.options.onCommitted?.(outcome.applied, partition);
  }
}
