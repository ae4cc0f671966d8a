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
    const messageName = `${topic.name}-value`;
    messages[messageName] = {
      name: messageName,
      contentType: 'application/json',
      summary: topic.kind === 'changelog' ? `${topic.description} A null value (tombstone) deletes the key.` : topic.description,
      payload: jsonSchemaOf(topic.value),
      bindings: { kafka: { key: { type: 'string', description: topic.key } } },
    };
    channels[topic.name] = {
      address: topic.name,
      description: topic.description,
      messages: { [messageName]: { $ref: `#/components/messages/${messageName}` } },
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
