import { deadLetterTopicName } from '@shop/contracts';
import type { IncomingRecord, OutgoingRecord, Producer } from '../client/kafka-client.port';

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
