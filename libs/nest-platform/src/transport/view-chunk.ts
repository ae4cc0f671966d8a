import type { TopicDefinition, UsersAsOf } from '@shop/contracts';
import { firstPerKey, type SqlExecutor, type ViewRecord } from '@shop/kafka';
import { BaseRpcContext } from '@nestjs/microservices';

/** One event a handler produces, keyed like the record it answers (its trace continues that record's). */
export interface ProducedEvent<TEvent> {
  readonly key: string;
  readonly value: TEvent;
}

/** How the transport produces for a chunk (schema check, topic prefix, trace headers, log line). */
export type ChunkProduce = <TEvent>(
  topic: TopicDefinition<TEvent>,
  events: readonly ProducedEvent<TEvent>[],
  logFields?: Readonly<Record<string, unknown>>,
) => Promise<void>;

/**
 * What a @ViewHandler receives: the records of one partition in offset order and the transaction the view's
 * position commits in. Everything the handler writes goes through `tx`; everything it produces goes through
 * `produce`, before the transaction commits.
 */
export class ViewChunk<TValue> {
  constructor(
    readonly view: string,
    readonly partition: number,
    readonly records: readonly ViewRecord<TValue>[],
    readonly tx: SqlExecutor,
    private readonly producer: ChunkProduce,
    private readonly asOf: ReadonlyMap<string, UsersAsOf> = new Map(),
  ) {}

  /**
   * Where the first record of `key` meets the users table (its `users-as-of` header, or its timestamp): read
   * the user as of it (a versioned users view's readAsOf), and every rebuild joins the same version. Only
   * for handlers that declare joins; throws for a key the chunk does not hold.
   */
  usersAsOf(key: string): UsersAsOf {
    const position = this.asOf.get(key);
    if (!position) throw new Error(`view ${this.view}: no users position for key ${key} (does the @ViewHandler declare joins?)`);
    return position;
  }

  /** The values in offset order, tombstones left out. */
  values(): TValue[] {
    return this.records.flatMap((r) => (r.value === null ? [] : [r.value]));
  }

  /**
   * The first value of every record key, in offset order: a key redelivered within the chunk counts once
   * (every event topic is keyed by the id its consumers dedupe on; later copies are the same event).
   */
  firstPerKey(): TValue[] {
    const withValues = this.records.filter((r): r is ViewRecord<TValue> & { value: TValue } => r.value !== null);
    return firstPerKey(withValues, (r) => r.key).map((r) => r.value);
  }

  /**
   * Produces `events` (schema-checked, awaiting the broker's ack) to a topic the handler declared in
   * `produces`. Each event continues the trace of the chunk's first record with the same key.
   */
  produce<TEvent>(
    topic: TopicDefinition<TEvent>,
    events: readonly ProducedEvent<TEvent>[],
    logFields?: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    return events.length === 0 ? Promise.resolve() : this.producer(topic, events, logFields);
  }
}

/** The RPC context of a chunk (`@Ctx() context: ViewContext`), for interceptors and guards. */
export class ViewContext extends BaseRpcContext<[view: string, topic: string, partition: number]> {
  get view(): string {
    return this.args[0];
  }
  get topic(): string {
    return this.args[1];
  }
  get partition(): number {
    return this.args[2];
  }
}
