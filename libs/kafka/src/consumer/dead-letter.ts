import { deadLetterTopicName } from '@shop/contracts';
import type { Headers, IncomingRecord, OutgoingRecord, Producer } from '../client/kafka-client.port';

/** Header names on a dead letter. The original record's own headers are kept beside them. */
export const DeadLetterHeaders = {
  errorMessage: 'dlq.error.message',
  errorType: 'dlq.error.type',
  originalTopic: 'dlq.original.topic',
  originalPartition: 'dlq.original.partition',
  originalOffset: 'dlq.original.offset',
  originalTimestamp: 'dlq.original.timestamp',
  consumer: 'dlq.consumer',
  attempts: 'dlq.attempts',
  failedAt: 'dlq.failed.at',
} as const;

export interface DeadLetter {
  readonly record: IncomingRecord;
  readonly error: Error;
  /** The consumer group or view that gave up on it. */
  readonly consumer: string;
  readonly attempts: number;
}

const MAX_HEADER_CHARS = 4000;

export function toDeadLetterRecord(letter: DeadLetter, now: Date = new Date()): OutgoingRecord {
  const { record, error } = letter;
  return {
    key: record.key === null ? null : record.key.toString('utf8'),
    // The original bytes, untouched: whoever repairs it needs exactly what was on the log.
    value: record.value,
    headers: {
      ...record.headers,
      [DeadLetterHeaders.errorMessage]: error.message.slice(0, MAX_HEADER_CHARS),
      [DeadLetterHeaders.errorType]: error.name,
      [DeadLetterHeaders.originalTopic]: record.topic,
      [DeadLetterHeaders.originalPartition]: String(record.partition),
      [DeadLetterHeaders.originalOffset]: record.offset.toString(),
      [DeadLetterHeaders.originalTimestamp]: String(record.timestamp),
      [DeadLetterHeaders.consumer]: letter.consumer,
      [DeadLetterHeaders.attempts]: String(letter.attempts),
      [DeadLetterHeaders.failedAt]: now.toISOString(),
    },
  };
}

/** Publishes dead letters to `<topic>.dlq`; resolves only once the broker has them. */
export class DeadLetterPublisher {
  constructor(private readonly producer: Producer) {}

  async publish(letters: readonly DeadLetter[]): Promise<void> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const letter of letters) {
      const topic = deadLetterTopicName(letter.record.topic);
      const list = byTopic.get(topic) ?? [];
      list.push(toDeadLetterRecord(letter));
      byTopic.set(topic, list);
    }
    for (const [topic, records] of byTopic) await this.producer.send(topic, records);
  }
}

/** What a dead letter's headers say about it (readDeadLetter). */
export interface DeadLetterInfo {
  /** Partition and offset of the letter on `<topic>.dlq`. */
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly consumer: string;
  readonly errorMessage: string;
  readonly errorType: string;
  readonly attempts: number;
  readonly failedAt: string;
  readonly original: { readonly topic: string; readonly partition: number; readonly offset: bigint; readonly timestamp: number };
  /** The original record's own headers (trace context…), the `dlq.*` ones left out. */
  readonly originalHeaders: Headers;
}

const DLQ_HEADER_NAMES: ReadonlySet<string> = new Set(Object.values(DeadLetterHeaders));

const wholeNumber = (text: string | undefined): bigint | undefined => (text !== undefined && /^\d+$/.test(text) ? BigInt(text) : undefined);

/**
 * The dead letter a record of a `.dlq` topic carries, or undefined when its headers are not those
 * toDeadLetterRecord writes (another tool's record): nobody can say whose letter it is, so nobody replays it.
 */
export function readDeadLetter(record: IncomingRecord): DeadLetterInfo | undefined {
  const h = record.headers;
  const consumer = h[DeadLetterHeaders.consumer];
  const topic = h[DeadLetterHeaders.originalTopic];
  const partition = wholeNumber(h[DeadLetterHeaders.originalPartition]);
  const offset = wholeNumber(h[DeadLetterHeaders.originalOffset]);
  if (!consumer || !topic || partition === undefined || offset === undefined) return undefined;
  const timestamp = Number(h[DeadLetterHeaders.originalTimestamp]);
  return {
    partition: record.partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    consumer,
    errorMessage: h[DeadLetterHeaders.errorMessage] ?? '',
    errorType: h[DeadLetterHeaders.errorType] ?? 'Error',
    attempts: Number(h[DeadLetterHeaders.attempts] ?? '1') || 1,
    failedAt: h[DeadLetterHeaders.failedAt] ?? '',
    original: { topic, partition: Number(partition), offset, timestamp: Number.isFinite(timestamp) ? timestamp : record.timestamp },
    originalHeaders: Object.fromEntries(Object.entries(h).filter(([name]) => !DLQ_HEADER_NAMES.has(name))),
  };
}

/** Whether a record of `<topic>.dlq` is a letter of this consumer about this topic (a DLQ holds every consumer's letters of its topic). */
export function isLetterOf(letter: DeadLetterInfo | undefined, consumer: string, originalTopic: string): letter is DeadLetterInfo {
  return letter !== undefined && letter.consumer === consumer && letter.original.topic === originalTopic;
}
