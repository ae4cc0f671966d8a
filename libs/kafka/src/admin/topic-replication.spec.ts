import { defaultMinInsyncReplicas, ReplicationConfigError, topicReplicationFromEnv } from './topic-replication';

describe('topicReplicationFromEnv', () => {
  it("unset: nothing, the broker's defaults decide (the local profiles set them per broker count)", () => {
    expect(topicReplicationFromEnv({})).toEqual({});
    expect(topicReplicationFromEnv({ KAFKA_REPLICATION_FACTOR: ' ', KAFKA_MIN_INSYNC_REPLICAS: '' })).toEqual({});
  });

  it('three copies: a write needs two of them by default (one broker may be lost without refusing writes)', () => {
    expect(topicReplicationFromEnv({ KAFKA_REPLICATION_FACTOR: '3' })).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(topicReplicationFromEnv({ KAFKA_REPLICATION_FACTOR: '1' })).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
  });

  it('takes an explicit min.insync.replicas, also without a factor (a topic override on the broker default)', () => {
    expect(topicReplicationFromEnv({ KAFKA_REPLICATION_FACTOR: '5', KAFKA_MIN_INSYNC_REPLICAS: '3' })).toEqual({
      replicationFactor: 5,
      minInsyncReplicas: 3,
    });
    expect(topicReplicationFromEnv({ KAFKA_MIN_INSYNC_REPLICAS: '2' })).toEqual({ minInsyncReplicas: 2 });
  });

  it.each([
    [{ KAFKA_REPLICATION_FACTOR: '0' }, 'KAFKA_REPLICATION_FACTOR must be a whole number from 1 to 32767 (got "0")'],
    [{ KAFKA_REPLICATION_FACTOR: 'three' }, 'KAFKA_REPLICATION_FACTOR must be a whole number from 1 to 32767 (got "three")'],
    [{ KAFKA_REPLICATION_FACTOR: '2.5' }, 'KAFKA_REPLICATION_FACTOR must be a whole number from 1 to 32767 (got "2.5")'],
    [{ KAFKA_MIN_INSYNC_REPLICAS: '-1' }, 'KAFKA_MIN_INSYNC_REPLICAS must be a whole number from 1 to 32767 (got "-1")'],
    [
      { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '4' },
      'KAFKA_MIN_INSYNC_REPLICAS (4) is more than KAFKA_REPLICATION_FACTOR (3): no write could ever be acknowledged',
    ],
  ])('refuses %j', (env, message) => {
    expect(() => topicReplicationFromEnv(env)).toThrow(new ReplicationConfigError(message));
  });

  it('derives min.insync.replicas from the factor: factor - 1, at least 1, at most 2', () => {
    expect([1, 2, 3, 4, 5].map(defaultMinInsyncReplicas)).toEqual([1, 1, 2, 2, 2]);
  });
});
