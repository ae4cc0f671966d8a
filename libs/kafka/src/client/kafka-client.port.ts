/**
 * The only Kafka surface the rest of the code base sees. One adapter (kafkajs today, see
 * kafkajs.adapter.ts) implements it, so another client library can replace kafkajs in one file.
 * Offsets are decimal strings on the wire; we keep them as bigint.
 */

export type Headers = Readonly<Record<string, string>>;

export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  /** Record timestamp, milliseconds since the epoch. */
  readonly timestamp: number;
}

export interface OutgoingRecord {
  readonly key: string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Headers;
  readonly partition?: number;
  /** The record's timestamp (epoch ms, CreateTime); default: when it is sent. */
  readonly timestamp?: number;
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly IncomingRecord[];
  /** Offset of the next record the broker will write to this partition. */
  readonly highWatermark: bigint;
}

export interface BatchControl {
  /** False once this member no longer owns the partition or the consumer stops: abandon the batch. */
  isActive(): boolean;
  /** Tells the group we are alive during long batches. */
  heartbeat(): Promise<void>;
  /** Continue from `offset` on this partition instead of the next offset in this batch. */
  seek(offset: bigint): void;
}

export interface BatchConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Called whenever this member is assigned partitions (start and every rebalance). Returns where each
   * partition must resume; partitions not returned start at the earliest offset.
   */
  readonly onAssigned: (
    assignment: readonly { topic: string; partitions: readonly number[] }[],
  ) => Promise<readonly TopicPartitionOffset[]>;
  /**
   * Called once per partition at a time, in offset order. The adapter fetches a partition's next batch while
   * one is handled; a seek (or a batch that threw or let go) drops what was fetched behind it.
   */
  readonly eachBatch: (batch: PartitionBatch, control: BatchControl) => Promise<void>;
  /** A batch arrived from the broker (it waits for its turn, or is dropped by a seek): for metrics and tests. */
  readonly onFetched?: (fetched: { topic: string; partition: number; firstOffset: bigint; lastOffset: bigint }) => void;
  /** Partitions processed at once; >1 overlaps one partition's database write with another's fetch/decode. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * How long the group waits for a silent member before it gives its partitions to others. A crashed
   * member holds its partitions this long; lower means faster failover but more false alarms under load.
   */
  readonly sessionTimeoutMs?: number;
  /** Fatal consumer crash (after the client's own retries). */
  readonly onCrash?: (error: Error) => void;
}

export interface BatchConsumer {
  start(options: BatchConsumerOptions): Promise<void>;
  stop(): Promise<void>;
}

export interface MessageConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  /** Resolve to commit the record (offset + 1); reject to have it redelivered. */
  readonly eachRecord: (record: IncomingRecord) => Promise<void>;
  readonly onCrash?: (error: Error) => void;
}

export interface MessageConsumer {
  start(options: MessageConsumerOptions): Promise<void>;
  stop(): Promise<void>;
}

export interface Producer {
  /** Idempotent, acks=all; resolves once every record is acknowledged. */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface PartitionReplicas {
  readonly partition: number;
  readonly leader: number;
  /** Node ids of every replica (the replication factor is their count). */
  readonly replicas: readonly number[];
  /** Node ids of the replicas in sync with the leader. */
  readonly isr: readonly number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  /** The topic's configuration as the broker applies it (its own overrides and the broker's defaults). */
  readonly config: Readonly<Record<string, string>>;
  readonly partitionReplicas: readonly PartitionReplicas[];
}

/** One ACL: `principal` may do `operation` on the topics or consumer groups that `name` names (exactly, or as a prefix). */
export interface AclBinding {
  readonly resource: 'topic' | 'group';
  readonly pattern: 'literal' | 'prefixed';
  readonly name: string;
  /** `User:<name>`, as the brokers name an authenticated client. */
  readonly principal: string;
  /** read and write include describe; every one is allowed from any host. */
  readonly operation: 'read' | 'write' | 'create' | 'delete' | 'describe' | 'describe-configs';
}

export interface Admin {
  listTopics(): Promise<string[]>;
  /** Creates the topics (those that exist already are left alone) and waits until each has its leaders. */
  createTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Resolves once every partition of these topics has a leader (retriable metadata errors waited out, bounded). */
  waitForLeaders(names: readonly string[]): Promise<void>;
  describeTopic(name: string): Promise<TopicDescription>;
  /** High watermark (next offset to be written) and low watermark of every partition. */
  fetchOffsets(topic: string): Promise<readonly { partition: number; low: bigint; high: bigint }[]>;
  deleteTopics(names: readonly string[]): Promise<void>;
  deleteGroups(groupIds: readonly string[]): Promise<void>;
  /** Adds the ACLs (needs a principal allowed to alter them: an admin). Adding one that exists changes nothing. */
  createAcls(bindings: readonly AclBinding[]): Promise<void>;
  /** Removes exactly these ACLs (an admin's call too); one that does not exist is no error. */
  deleteAcls(bindings: readonly AclBinding[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface KafkaClient {
  producer(): Promise<Producer>;
  admin(): Promise<Admin>;
  batchConsumer(): BatchConsumer;
  messageConsumer(): MessageConsumer;
}
