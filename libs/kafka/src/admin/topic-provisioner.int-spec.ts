import { deadLetterTopicName, renameTopic, Topics } from '@shop/contracts';
import { testInfra, uniqueName } from '@shop/test-infra';
import { provisionTopics, topicReplicationFromEnv } from '..';
import { connectKafka } from '../../test-support/kafka-test-kit';

/**
 * Replication as the brokers store it. Runs on either local profile: one broker (KAFKA_BROKERS one address,
 * every topic one copy) or the cluster (SHOP_KAFKA_BROKERS=3: three addresses, three copies, a write needs two).
 */
const brokers = testInfra().kafkaBrokers.length;
const cluster = brokers >= 3;
const copies = cluster ? 3 : 1;
const minInsync = cluster ? '2' : '1';
const profile = cluster ? `the ${brokers}-broker cluster` : 'one broker';

describe(`provisionTopics: replication on ${profile}`, () => {
  let kit: Awaited<ReturnType<typeof connectKafka>>;
  const created: string[] = [];

  beforeAll(async () => {
    kit = await connectKafka(uniqueName('provision_it'));
  });

  afterAll(async () => {
    if (created.length > 0) await kit.admin.deleteTopics(created).catch(() => undefined);
    await kit.close();
  });

  it(`creates a catalogue topic and its dead letters with ${copies} replica(s) in sync and min.insync.replicas=${minInsync}`, async () => {
    const topic = renameTopic(Topics.orders, uniqueName('orders'));
    created.push(topic.name, deadLetterTopicName(topic.name));
    // What the services do: replication from the environment (the global setup exports the cluster's).
    expect(await provisionTopics(kit.admin, [topic], topicReplicationFromEnv())).toEqual([topic.name, deadLetterTopicName(topic.name)]);

    for (const [name, partitions] of [
      [topic.name, Topics.orders.partitions],
      [deadLetterTopicName(topic.name), 1],
    ] as const) {
      const d = await kit.admin.describeTopic(name);
      expect(d.partitions).toBe(partitions);
      expect(d.partitionReplicas.map((p) => [p.replicas.length, p.isr.length])).toEqual(Array(partitions).fill([copies, copies]));
      // Leaders spread over the brokers (one partition per broker on the cluster).
      if (cluster && partitions === 3) expect(new Set(d.partitionReplicas.map((p) => p.leader)).size).toBe(3);
      expect({ name, minInsync: d.config['min.insync.replicas'], cleanup: d.config['cleanup.policy'] }).toEqual({
        name,
        minInsync,
        cleanup: 'delete',
      });
    }
  });

  it('an explicit replication is stored as the topic’s own settings', async () => {
    const topic = renameTopic(Topics.users, uniqueName('users'));
    created.push(topic.name, deadLetterTopicName(topic.name));
    await provisionTopics(kit.admin, [topic], { replicationFactor: brokers, minInsyncReplicas: brokers });
    const d = await kit.admin.describeTopic(topic.name);
    expect(d.partitionReplicas.every((p) => p.replicas.length === brokers)).toBe(true);
    expect([d.config['min.insync.replicas'], d.config['cleanup.policy']]).toEqual([String(brokers), 'compact']);
  });

  it(`the brokers' own consumer offsets topic has ${copies} replica(s) too`, async () => {
    const d = await kit.admin.describeTopic('__consumer_offsets');
    expect(d.partitions).toBeGreaterThan(0);
    expect(new Set(d.partitionReplicas.map((p) => p.replicas.length))).toEqual(new Set([copies]));
  });
});
