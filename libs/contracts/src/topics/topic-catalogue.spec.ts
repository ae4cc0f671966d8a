import { allTopics, deadLetterTopicName, Topics, withTopicPrefix } from './topic-catalogue';

describe('topic catalogue', () => {
  it('compacts the users changelog and only it', () => {
    expect(Topics.users.config['cleanup.policy']).toBe('compact');
    const compacted = allTopics.filter((t) => t.config['cleanup.policy']?.includes('compact')).map((t) => t.name);
    expect(compacted).toEqual(['users']);
  });

  it('has unique names and one writer per topic', () => {
    const names = allTopics.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const topic of allTopics) expect(topic.writer).not.toHaveLength(0);
  });

  it('names dead-letter topics after their source', () => {
    expect(deadLetterTopicName('orders')).toBe('orders.dlq');
  });

  it('prefixes a topic without touching the original', () => {
    const renamed = withTopicPrefix(Topics.orders, 't1_');
    expect(renamed.name).toBe('t1_orders');
    expect(Topics.orders.name).toBe('orders');
    expect(withTopicPrefix(Topics.orders, '')).toBe(Topics.orders);
  });
});
