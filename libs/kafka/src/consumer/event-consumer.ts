import { DecodeError, decodeRecord, type Decoded, type TopicDefinition } from '@shop/contracts';
import type { IncomingRecord, KafkaClient, MessageConsumer } from '../client/kafka-client.port';
import { DeadLetterPublisher } from './dead-letter';
import { DEFAULT_RETRY_POLICY, RetriesExhaustedError, withRetries, type RetryPolicy } from './retry';

export type EventHandler<TValue> = (event: Decoded<TValue>, record: IncomingRecord) => Promise<void>;

export interface EventConsumerOptions<TValue> {
  readonly groupId: string;
  readonly topic: TopicDefinition<TValue>;
  readonly handler: EventHandler<TValue>;
  readonly retry?: RetryPolicy;
  readonly fromBeginning?: boolean;
  /** Called for every record sent to the dead-letter topic (metrics, logs). */
  readonly onDeadLetter?: (record: IncomingRecord, error: Error) => void;
  readonly onCrash?: (error: Error) => void;
}

/**
 * Consumes one topic record by record. A record that cannot be decoded goes to `<topic>.dlq` at once
 * (retrying cannot fix its bytes); one whose handler keeps failing goes there after the bounded
 * retries. Either way the offset is committed and the partition keeps moving. If publishing the dead
 * letter itself fails, the error propagates and the record is redelivered: nothing is dropped.
 */
export class EventConsumer<TValue> {
  private consumer: MessageConsumer | undefined;

  constructor(
    private readonly client: KafkaClient,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly options: EventConsumerOptions<TValue>,
  ) {}

  async start(): Promise<void> {
    const { groupId, topic } = this.options;
    const consumer = this.client.messageConsumer();
    this.consumer = consumer;
    await consumer.start({
      groupId,
      topics: [topic.name],
      fromBeginning: this.options.fromBeginning ?? true,
      eachRecord: (record) => this.process(record),
      onCrash: this.options.onCrash,
    });
  }

  /** Exposed for tests of the routing logic; the consumer calls it for every record. */
  async process(record: IncomingRecord): Promise<void> {
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    try {
      const decoded = decodeRecord(this.options.topic, record.key, record.value);
      await withRetries(policy, () => this.options.handler(decoded, record));
    } catch (caught) {
      const exhausted = caught instanceof RetriesExhaustedError ? caught : undefined;
      const error = exhausted ? exhausted.lastError : (caught as Error);
      if (!(error instanceof DecodeError) && !exhausted) throw error;
      await this.deadLetters.publish([{ record, error, consumer: this.options.groupId, attempts: exhausted?.attempts ?? 1 }]);
      this.options.onDeadLetter?.(record, error);
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }
}
