import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildAsyncApiDocument, renderAsyncApiDocument } from './asyncapi';
import { allTopics } from '../topics/topic-catalogue';

const workspaceRoot = path.resolve(__dirname, '../../../..');
const { version } = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8')) as { version: string };

describe('AsyncAPI document', () => {
  it('describes every topic and its dead-letter topic', () => {
    const doc = buildAsyncApiDocument(version) as { channels: Record<string, unknown> };
    for (const topic of allTopics) {
      expect(doc.channels).toHaveProperty([topic.name]);
      expect(doc.channels).toHaveProperty([`${topic.name}.dlq`]);
    }
  });

  it('shows both versions of OrderPlaced on the orders channel, v1 marked as no longer produced', () => {
    const doc = buildAsyncApiDocument(version) as {
      channels: Record<string, { messages: Record<string, unknown> }>;
      components: { messages: Record<string, { title: string; summary: string }> };
    };
    expect(Object.keys(doc.channels['orders']?.messages ?? {})).toEqual(['orders-OrderPlaced-v1', 'orders-OrderPlaced-v2']);
    expect(doc.components.messages['orders-OrderPlaced-v1']?.summary).toMatch(/no longer produced.*upcast them to v2/);
    expect(doc.components.messages['orders-OrderPlaced-v2']?.title).toBe('OrderPlaced v2');
  });

  it('is committed up to date in docs/asyncapi.json (regenerate: npm run contracts:asyncapi)', () => {
    const committed = readFileSync(path.join(workspaceRoot, 'docs/asyncapi.json'), 'utf8');
    expect(committed).toBe(renderAsyncApiDocument(version));
  });
});
