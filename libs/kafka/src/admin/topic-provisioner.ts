import { DEAD_LETTER_TOPIC_CONFIG, deadLetterTopicName, type TopicDefinition } from '@shop/contracts';
import type { Admin, TopicSpec } from '../client/kafka-client.port';
import { topicReplicationFromEnv, type TopicReplication } from './topic-replication';

/**
 * The broker-side specs of `definitions`, each with its dead-letter topic, stored as `replication` says
 * (dead letters as safely as the records they hold). Without a replication: the broker's defaults.
 */
export function topicSpecs(definitions: readonly TopicDefinition[], replication: TopicReplication = {}): TopicSpec[] {
  const stored = (name: string, partitions: number, config: Readonly<Record<string, string>>): TopicSpec => ({
    name,
    partitions,
    ...(replication.replicationFactor === undefined ? {} : { replicationFactor: replication.replicationFactor }),
    config:
      replication.minInsyncReplicas === undefined ? config : { ...config, 'min.insync.replicas': String(replication.minInsyncReplicas) },
  });
  // A service may list a topic twice (it reads and writes it): one spec per name.
  const byName = new Map<string, TopicSpec>();
  for (const d of definitions) {
    byName.set(d.name, stored(d.name, d.partitions, d.config));
    byName.set(deadLetterTopicName(d.name), stored(deadLetterTopicName(d.name), 1, DEAD_LETTER_TOPIC_CONFIG));
  }
  return [...byName.values()];
}

/**
 * Creates the topics of `definitions` (and their dead-letter topics) that do not exist yet, and resolves
 * once every one of them has its partition leaders, so the consumers and metadata calls that follow do not
 * meet a topic still being created (by this instance or by another one starting at the same moment).
 * Existing topics are left as they are: changing partitions or cleanup policy of a live topic is a
 * deliberate operation, not something a service does at start. Replication comes from the environment
 * (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS: see topic-replication.ts), checked before anything is created.
 */
export async function provisionTopics(
  admin: Admin,
  definitions: readonly TopicDefinition[],
  replication: TopicReplication = topicReplicationFromEnv(),
): Promise<string[]> {
  const specs = topicSpecs(definitions, replication);
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length > 0) {
    try {
      await admin.createTopics(missing);
    } catch (error) {
      // Another instance may have created them at the same moment; only fail if they are still missing.
      const now = new Set(await admin.listTopics());
      if (missing.some((spec) => !now.has(spec.name))) throw error;
    }
  }
  // Listed is not ready: a topic another instance has just created may have no leader yet.
  await admin.waitForLeaders(specs.map((spec) => spec.name));
  return missing.map((spec) => spec.name);
}
