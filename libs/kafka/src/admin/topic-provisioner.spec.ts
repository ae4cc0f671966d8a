import { Topics } from '@shop/contracts';
import { topicSpecs } from './topic-provisioner';

describe('topicSpecs', () => {
  it('gives every topic its dead-letter topic, once per name', () => {
    expect(topicSpecs([Topics.orders, Topics.users, Topics.orders]).map((s) => s.name)).toEqual([
      'orders',
      'orders.dlq',
      'users',
      'users.dlq',
    ]);
  });

  it('keeps the catalogue config: users compacted, dead letters deleted after 30 days', () => {
    const specs = topicSpecs([Topics.users]);
    expect(specs[0]?.config['cleanup.policy']).toBe('compact');
    expect(specs[1]?.config).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': String(30 * 24 * 3600 * 1000) });
  });
});

describe('topicSpecs with a replication', () => {
  it("leaves replication to the broker's defaults when none is given (one broker, as before)", () => {
    const [orders] = topicSpecs([Topics.orders]);
    expect(orders).toEqual({ name: 'orders', partitions: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' } });
  });

  it('stores every topic and its dead letters with the factor and min.insync.replicas, keeping the catalogue config', () => {
    const specs = topicSpecs([Topics.users], { replicationFactor: 3, minInsyncReplicas: 2 });
    expect(specs.map((s) => [s.name, s.replicationFactor, s.config['min.insync.replicas'], s.config['cleanup.policy']])).toEqual([
      ['users', 3, '2', 'compact'],
      ['users.dlq', 3, '2', 'delete'],
    ]);
    // The catalogue itself is not changed.
    expect(Topics.users.config['min.insync.replicas']).toBeUndefined();
  });
});
