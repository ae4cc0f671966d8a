import { jsonSchemaOf } from '../json-schema/json-schema';
import { allTopics, deadLetterTopicName } from '../topics/topic-catalogue';

/**
 * The AsyncAPI 3.0 document of every topic, generated from the catalogue so that it cannot drift from
 * the schemas the code validates with. Written to docs/asyncapi.json by `npm run contracts:asyncapi`;
 * a unit test fails when the committed file is stale.
 */
export function buildAsyncApiDocument(version: string): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const topic of allTopics) {
    // One message per (type, version): a channel lists every version its records may have been written with.
    const channelMessages: Record<string, unknown> = {};
    for (const { type, version, schema } of topic.versions) {
      const latest = Math.max(...topic.versions.filter((v) => v.type === type).map((v) => v.version));
      const messageName = `${topic.name}-${type}-v${version}`;
      const summary = topic.kind === 'changelog' ? `${topic.description} A null value (tombstone) deletes the key.` : topic.description;
      messages[messageName] = {
        name: messageName,
        title: `${type} v${version}`,
        contentType: 'application/json',
        summary:
          version === latest
            ? `${summary}${latest > 1 ? ` ${type} v${version}, the latest: what the writer produces now.` : ''}`
            : `${summary} ${type} v${version}: no longer produced; records of it stay on the topic, and readers upcast them to v${latest}.`,
        payload: jsonSchemaOf(schema),
        bindings: { kafka: { key: { type: 'string', description: topic.key } } },
      };
      channelMessages[messageName] = { $ref: `#/components/messages/${messageName}` };
    }
    channels[topic.name] = {
      address: topic.name,
      description: topic.description,
      messages: channelMessages,
      bindings: {
        kafka: {
          partitions: topic.partitions,
          topicConfiguration: Object.fromEntries(
            Object.entries(topic.config).map(([k, v]) => [k, k === 'cleanup.policy' ? v.split(',') : Number(v)]),
          ),
        },
      },
    };
    channels[deadLetterTopicName(topic.name)] = {
      address: deadLetterTopicName(topic.name),
      description: `Records of ${topic.name} that could not be processed: the original bytes, the error in dlq.* headers.`,
    };
    operations[`publish-${topic.name}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${topic.name}` },
      summary: `Written only by ${topic.writer}${topic.via === 'cdc' ? ' (CDC)' : ''}.`,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Event-driven shop topics',
      version,
      description: 'Every topic, key and event shape of the system. Generated from libs/contracts; do not edit.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

export function renderAsyncApiDocument(version: string): string {
  return `${JSON.stringify(buildAsyncApiDocument(version), null, 2)}\n`;
}
