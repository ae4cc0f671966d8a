/**
 * Which kafkajs failures are worth waiting out. Kept beside the adapter: nothing else in the code base
 * knows kafkajs' error classes.
 */

type Loose = { readonly [key: string]: unknown };

const asObject = (value: unknown): Loose | undefined => (typeof value === 'object' && value !== null ? (value as Loose) : undefined);

/**
 * Protocol errors a fresh or busy cluster answers while metadata propagates (concurrent topic creation,
 * leader election after a restart) or while a coordinator moves. All retriable by Kafka's own table.
 */
const RETRIABLE_TYPES = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_CONTROLLER',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
]);

/** Client-side failures of the connection itself (broker away, restarting, not elected yet), and ours below. */
const RETRIABLE_NAMES = new Set([
  'TopicsWithoutLeaderError',
  'UnacknowledgedPartitionsError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSLockTimeout',
]);

/**
 * True for an error a later attempt may not get: a retriable protocol error or a connection failure,
 * also when kafkajs gave up on it after its own retries (KafkaJSNumberOfRetriesExceeded wraps the cause)
 * or reports several (KafkaJSAggregateError, every one retriable).
 */
export function isRetriableKafkaError(error: unknown, depth = 0): boolean {
  const e = asObject(error);
  if (!e || depth > 5) return false;
  const type = e['type'];
  if (typeof type === 'string' && RETRIABLE_TYPES.has(type)) return true;
  const name = e['name'];
  if (typeof name === 'string' && RETRIABLE_NAMES.has(name)) return true;
  const errors = e['errors'];
  if (Array.isArray(errors) && errors.length > 0) return errors.every((inner) => isRetriableKafkaError(inner, depth + 1));
  if (e['cause'] !== undefined) return isRetriableKafkaError(e['cause'], depth + 1);
  return false;
}

/** Topics whose partitions do not all have a leader yet (just created, or a broker restarting): wait and look again. */
export class TopicsWithoutLeaderError extends Error {
  constructor(readonly topics: readonly string[]) {
    super(`topics without a leader yet: ${topics.join(', ')}`);
    this.name = 'TopicsWithoutLeaderError';
  }
}

/**
 * A send kafkajs reported as done although a partition it put records on has no answer among its acknowledgements.
 * kafkajs keeps one answer per broker across the retries of a send: when a partition's leader dies and the partition
 * moves to a broker that has already answered for other partitions of the same send, the retry finds nothing left
 * to send and resolves without writing that partition's records (tulios/kafkajs#1303, #1798; seen here with a
 * broker SIGKILLed under load, cluster.e2e-spec.ts). The outcome is treated as a failed send: sent again.
 */
export class UnacknowledgedPartitionsError extends Error {
  constructor(
    readonly topic: string,
    readonly partitions: readonly number[],
  ) {
    super(`kafkajs resolved a send to ${topic} without an acknowledgement for partition(s) ${partitions.join(', ')}: not written`);
    this.name = 'UnacknowledgedPartitionsError';
  }
}

/** The partitions of `topic` in `aimedAt` that `answers` (kafkajs' record metadata of a send) acknowledges nowhere. */
export function unacknowledgedPartitions(
  topic: string,
  aimedAt: Iterable<number>,
  answers: readonly { readonly topicName: string; readonly partition: number; readonly errorCode: number }[],
): number[] {
  const acknowledged = new Set(answers.filter((a) => a.topicName === topic && a.errorCode === 0).map((a) => a.partition));
  return [...new Set(aimedAt)].filter((p) => !acknowledged.has(p)).sort((a, b) => a - b);
}

/** kafkajs reports a rebalance through these heartbeat errors: the batch in hand is no longer ours to finish. */
const REBALANCE_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

export function isRebalanceError(error: unknown): boolean {
  const type = asObject(error)?.['type'];
  return typeof type === 'string' && REBALANCE_TYPES.has(type);
}

/** Every error of a createTopics answer says the topic exists already (another instance made it first). */
export function isTopicAlreadyExists(error: unknown): boolean {
  const e = asObject(error);
  if (!e) return false;
  if (e['type'] === 'TOPIC_ALREADY_EXISTS') return true;
  const errors = e['errors'];
  return Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isTopicAlreadyExists(inner));
}

/**
 * kafkajs answers a failed createTopics with "Topic creation errors" and the reasons in `errors`: the same error,
 * its message naming each topic and why (e.g. `orders.dlq: TOPIC_AUTHORIZATION_FAILED`), for the log.
 */
export function withTopicErrors(error: unknown): unknown {
  const e = asObject(error);
  const errors = e?.['errors'];
  if (!(error instanceof Error) || !Array.isArray(errors) || errors.length === 0) return error;
  const reasons = errors.map((inner) => {
    const i = asObject(inner);
    return `${String(i?.['topic'] ?? '?')}: ${String(i?.['type'] ?? i?.['message'] ?? inner)}`;
  });
  error.message = `${error.message}: ${reasons.join(', ')}`;
  return error;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface KafkaRetryOptions {
  /** Give up after this long (the last error is thrown). */
  readonly budgetMs: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly onRetry?: (error: Error, attempt: number) => void;
}

/** Runs `work` again, with exponential backoff, while it fails with a retriable Kafka error and the budget lasts. */
export async function retryKafka<T>(work: () => Promise<T>, options: KafkaRetryOptions): Promise<T> {
  const deadline = Date.now() + options.budgetMs;
  let wait = options.initialDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetriableKafkaError(error) || Date.now() + wait > deadline) throw error;
      options.onRetry?.(error as Error, attempt);
      await delay(wait);
      wait = Math.min(options.maxDelayMs ?? 2000, wait * 2);
    }
  }
}
