import { encodeValue, type TopicDefinition } from '@shop/contracts';
import type { Headers, Producer } from '../client/kafka-client.port';

export interface TypedRecord<TValue> {
  readonly key: string;
  /** null only for a tombstone on a changelog topic. */
  readonly value: TValue | null;
  readonly headers?: Headers;
  /** Epoch ms (CreateTime); default: when it is sent. */
  readonly timestamp?: number;
}

/**
 * Produces schema-checked values: a value that consumers would reject is refused here, before it
 * reaches the log.
 */
export class EventProducer {
  constructor(private readonly producer: Producer) {}

  async send<TValue>(topic: TopicDefinition<TValue>, records: readonly TypedRecord<TValue>[]): Promise<void> {
    const outgoing = records.map((r) => {
      if (r.value === null && topic.kind !== 'changelog') {
        throw new Error(`tombstones are only allowed on changelog topics, not on ${topic.name}`);
      }
      return { key: r.key, value: r.value === null ? null : encodeValue(topic, r.value), headers: r.headers, timestamp: r.timestamp };
    });
    await this.producer.send(topic.name, outgoing);
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
