import { UnacknowledgedPartitionsError, isRetriableKafkaError, unacknowledgedPartitions } from './kafkajs-errors';

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
