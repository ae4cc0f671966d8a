import * as path from 'node:path';
import { z } from 'zod';
import { envelopeSchema, eventVersion } from '../envelope/envelope';
import { orderPlacedV1EventSchema, orderPlacedV1Schema } from '../events/order-events';
import { orderChannelSchema } from '../events/vocabularies';
import { Topics, type TopicDefinition } from '../topics/topic-catalogue';
import { parsedSchemas, readCommittedSchemas } from '../../scripts/committed-schemas';
import { compatibilityProblems, schemaFiles, SCHEMAS_DIR } from './schema-files';
import type { Json } from './backward-compatibility';

const workspaceRoot = path.resolve(__dirname, '../../../..');
const committed = readCommittedSchemas(path.join(workspaceRoot, SCHEMAS_DIR));

describe('the committed schemas (libs/contracts/schemas)', () => {
  it('are backward compatible: every committed version is still read, and each version reads the one before', () => {
    expect(compatibilityProblems(parsedSchemas(committed), schemaFiles())).toEqual([]);
  });

  it('are up to date (regenerate: npm run contracts:schemas)', () => {
    const current = schemaFiles();
    expect([...committed.keys()].sort()).toEqual(current.map((f) => f.path).sort());
    for (const file of current)
      expect({ path: file.path, content: committed.get(file.path) }).toEqual({ path: file.path, content: file.content });
  });

  it('hold both versions of OrderPlaced and of OrderValidated', () => {
    expect([...committed.keys()].filter((p) => /OrderPlaced|OrderValidated/.test(p)).sort()).toEqual([
      'order-validations/OrderValidated.v1.json',
      'order-validations/OrderValidated.v2.json',
      'orders/OrderPlaced.v1.json',
      'orders/OrderPlaced.v2.json',
    ]);
  });
});

describe('compatibilityProblems on the real orders topic', () => {
  const withV2 = (v2: ReturnType<typeof envelopeSchema>) =>
    schemaFiles([{ ...Topics.orders, versions: [eventVersion(orderPlacedV1EventSchema), eventVersion(v2)] }]);
  const orders = new Map([...parsedSchemas(committed)].filter(([p]) => p.startsWith('orders/')));

  it('refuses dropping a channel from the vocabulary, and making the channel required', () => {
    const fewer = envelopeSchema('OrderPlaced', 2, orderPlacedV1Schema.extend({ channel: z.enum(['web', 'api']).optional() }));
    expect(compatibilityProblems(orders, withV2(fewer))).toEqual([
      'orders/OrderPlaced.v2.json changed: $.payload.channel: value "mobile" was removed (old records may hold it)',
    ]);
    const required = envelopeSchema('OrderPlaced', 2, orderPlacedV1Schema.extend({ channel: orderChannelSchema }));
    expect(compatibilityProblems(orders, withV2(required))).toEqual([
      'orders/OrderPlaced.v2.json changed: $.payload.channel: an optional field became required (old records may lack it)',
      'orders/OrderPlaced v2 cannot read v1: $.payload.channel: a new required field without a default (old records lack it)',
    ]);
  });
});

describe('compatibilityProblems', () => {
  const payloadV1 = z.object({ orderId: z.string() });
  const v1 = envelopeSchema('OrderPlaced', 1, payloadV1);
  const topicWith = (...schemas: ReturnType<typeof envelopeSchema>[]): TopicDefinition => ({
    ...Topics.orders,
    versions: schemas.map(eventVersion),
  });
  const filesOf = (...schemas: ReturnType<typeof envelopeSchema>[]) => schemaFiles([topicWith(...schemas)]);
  const asCommitted = (...schemas: ReturnType<typeof envelopeSchema>[]) =>
    new Map(filesOf(...schemas).map((f) => [f.path, JSON.parse(f.content) as Json]));

  it('accepts a new version with an optional field', () => {
    const v2 = envelopeSchema('OrderPlaced', 2, payloadV1.extend({ channel: z.enum(['web']).optional() }));
    expect(compatibilityProblems(asCommitted(v1), filesOf(v1, v2))).toEqual([]);
  });

  it('refuses a new version that cannot read the previous one', () => {
    const v2 = envelopeSchema('OrderPlaced', 2, payloadV1.extend({ channel: z.enum(['web']) }));
    expect(compatibilityProblems(asCommitted(v1), filesOf(v1, v2))).toEqual([
      'orders/OrderPlaced v2 cannot read v1: $.payload.channel: a new required field without a default (old records lack it)',
    ]);
  });

  it('refuses a committed version changed incompatibly in place', () => {
    const changed = envelopeSchema('OrderPlaced', 1, z.object({ orderId: z.string().max(5) }));
    expect(compatibilityProblems(asCommitted(v1), filesOf(changed))).toEqual([
      'orders/OrderPlaced.v1.json changed: $.payload.orderId: maxLength tightened from none to 5',
    ]);
  });

  it('refuses a removed version and a gap in the numbering', () => {
    const v3 = envelopeSchema('OrderPlaced', 3, payloadV1);
    expect(compatibilityProblems(asCommitted(v1), filesOf(v3))).toEqual([
      'orders/OrderPlaced.v1.json: this version was removed, but its records stay on the topic: keep reading it',
      'orders/OrderPlaced: versions must be 1…N without gaps, found v3 at position 1',
    ]);
  });
});
