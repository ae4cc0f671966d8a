import { KafkaJSAggregateError } from 'kafkajs';
import {
  UnacknowledgedPartitionsError,
  isRetriableKafkaError,
  isTopicAlreadyExists,
  unacknowledgedPartitions,
  withTopicErrors,
} from './kafkajs-errors';

describe('unacknowledgedPartitions', () => {
  const ok = (partition: number, topicName = 'orders') => ({ topicName, partition, errorCode: 0 });

  it('is empty when every partition a send aimed at was acknowledged', () => {
    expect(unacknowledgedPartitions('orders', [0, 1, 2, 1], [ok(2), ok(0), ok(1)])).toEqual([]);
  });

  it('names a partition kafkajs resolved the send without (its leader moved to a broker that had answered already)', () => {
    // The shape of kafkajs' answer in that case: one entry per broker request that succeeded, none for partition 0.
    expect(unacknowledgedPartitions('orders', [0, 1, 2], [ok(1), ok(2)])).toEqual([0]);
  });

  it('counts neither an answer with an error code nor one for another topic', () => {
    expect(unacknowledgedPartitions('orders', [0, 1], [{ topicName: 'orders', partition: 0, errorCode: 6 }, ok(1, 'shipments')])).toEqual([
      0, 1,
    ]);
  });

  it('makes an error that callers wait out and send again', () => {
    const error = new UnacknowledgedPartitionsError('orders', [0]);
    expect(error.message).toMatch(/without an acknowledgement for partition\(s\) 0/);
    expect(isRetriableKafkaError(error)).toBe(true);
  });
});

describe('createTopics errors', () => {
  // What kafkajs throws for a createTopics answer: one KafkaJSCreateTopicError (a protocol error's type, the topic) per
  // topic it failed; that class is not in kafkajs' exported types.
  const answer = (...failed: [topic: string, type: string][]) =>
    new KafkaJSAggregateError(
      'Topic creation errors',
      failed.map(([topic, type]) => Object.assign(new Error(`${type} for ${topic}`), { name: 'KafkaJSCreateTopicError', type, topic })),
    );

  it('names each topic and its reason in the message (the log shows what was refused)', () => {
    const error = withTopicErrors(answer(['orders.dlq', 'TOPIC_AUTHORIZATION_FAILED'], ['orders', 'TOPIC_ALREADY_EXISTS'])) as Error;
    expect(error.message).toBe('Topic creation errors: orders.dlq: TOPIC_AUTHORIZATION_FAILED, orders: TOPIC_ALREADY_EXISTS');
  });

  it('takes only "exists already" for every topic as created by someone else', () => {
    expect(isTopicAlreadyExists(answer(['orders', 'TOPIC_ALREADY_EXISTS'], ['orders.dlq', 'TOPIC_ALREADY_EXISTS']))).toBe(true);
    expect(isTopicAlreadyExists(answer(['orders', 'TOPIC_ALREADY_EXISTS'], ['orders.dlq', 'TOPIC_AUTHORIZATION_FAILED']))).toBe(false);
  });
});
