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
