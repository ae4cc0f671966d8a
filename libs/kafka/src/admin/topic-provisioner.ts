import { DEAD_LETTER_TOPIC_CONFIG, deadLetterTopicName, type TopicDefinition } from '@shop/contracts';
import type { Admin, TopicSpec } from '../client/kafka-client.port';

/** The broker-side specs of `definitions`, each with its dead-letter topic. */
export function topicSpecs(definitions: readonly TopicDefinition[]): TopicSpec[] {
  // A service may list a topic twice (it reads and writes it): one spec per name.
  const byName = new Map<string, TopicSpec>();
  for (const d of definitions) {
    byName.set(d.name, { name: d.name, partitions: d.partitions, config: d.config });
    byName.set(deadLetterTopicName(d.name), { name: deadLetterTopicName(d.name), partitions: 1, config: DEAD_LETTER_TOPIC_CONFIG });
  }
  return [...byName.values()];
}

/**
 * Creates the topics of `definitions` (and their dead-letter topics) that do not exist yet, and resolves
 * once every one of them has its partition leaders, so the consumers and metadata calls that follow do not
 * meet a topic still being created (by this instance or by another one starting at the same moment).
 * Existing topics are left as they are: changing partitions or cleanup policy of a live topic is a
 * deliberate operation, not something a service does at start.
 */
export async function provisionTopics(admin: Admin, definitions: readonly TopicDefinition[]): Promise<string[]> {
  const specs = topicSpecs(definitions);
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
