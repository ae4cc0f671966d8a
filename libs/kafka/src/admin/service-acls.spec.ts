import { allTopics, serviceManifest, serviceNamed } from '@shop/contracts';
import type { AclBinding } from '../client/kafka-client.port';
import { connectWorkerAcls, deploymentAcls, serviceAcls } from './service-acls';

const allowed = (bindings: readonly AclBinding[], operation: AclBinding['operation']) =>
  bindings.filter((b) => b.resource === 'topic' && b.operation === operation).map((b) => b.name);

describe('serviceAcls', () => {
  it("lets shipping write only the topic it is the catalogue's writer of, and the dead letters of what it reads", () => {
    const shipping = serviceNamed('shipping');
    const acls = serviceAcls(shipping, 'run1_');
    expect(acls.every((b) => b.principal === 'User:shipping')).toBe(true);
    expect(allowed(acls, 'write').sort()).toEqual(['run1_shipments', ...shipping.consumes.map((t) => `run1_${t}.dlq`)].sort());
    expect(allowed(acls, 'write')).not.toContain('run1_orders');
    // It provisions shipments with its dead-letter topic, which only shipments' consumers write.
    expect(allowed(acls, 'create').filter((t) => t.startsWith('run1_shipments'))).toEqual(['run1_shipments', 'run1_shipments.dlq']);
    expect(allowed(acls, 'read').sort()).toEqual(shipping.consumes.flatMap((t) => [`run1_${t}`, `run1_${t}.dlq`]).sort());
    expect(acls.filter((b) => b.resource === 'group')).toEqual([
      { resource: 'group', pattern: 'prefixed', name: 'run1_shipping.', principal: 'User:shipping', operation: 'read' },
    ]);
  });

  it("gives every topic of the catalogue exactly one principal that may write it in a deployment: its writer, or Connect's", () => {
    const writers = new Map<string, string[]>();
    for (const b of deploymentAcls())
      if (b.operation === 'write' && !b.name.endsWith('.dlq')) writers.set(b.name, [...(writers.get(b.name) ?? []), b.principal]);
    for (const t of allTopics)
      expect({ topic: t.name, writers: writers.get(t.name) }).toEqual({
        topic: t.name,
        writers: [t.via === 'cdc' ? 'User:connect' : `User:${t.writer}`],
      });
  });

  it('gives a deployment every Kafka service of the manifest and the CDC publisher, under its prefix, and no one else', () => {
    const acls = deploymentAcls('run2_');
    expect(new Set(acls.map((b) => b.principal))).toEqual(
      new Set([...serviceManifest.filter((s) => s.kafka).map((s) => `User:${s.name}`), 'User:connect']),
    );
    expect(acls.every((b) => b.name.startsWith('run2_'))).toBe(true);
  });

  it('gives a service without Kafka topics nothing but its (unused) group', () => {
    expect(serviceAcls({ name: 'quiet', consumes: [], produces: [] })).toEqual([
      { resource: 'group', pattern: 'prefixed', name: 'quiet.', principal: 'User:quiet', operation: 'read' },
    ]);
  });
});

describe('connectWorkerAcls', () => {
  it("gives a Connect worker its storage topics, its group and its sink connectors' groups, and no topic of the catalogue", () => {
    const acls = connectWorkerAcls({ principal: 'connect', groupId: 'shop-connect', storageTopics: ['_c', '_o', '_s'] });
    expect(acls.every((b) => b.principal === 'User:connect')).toBe(true);
    expect([...new Set(acls.filter((b) => b.resource === 'topic').map((b) => b.name))]).toEqual(['_c', '_o', '_s']);
    expect(allowed(acls, 'create')).toEqual(['_c', '_o', '_s']);
    expect(acls.filter((b) => b.resource === 'group').map((b) => `${b.operation} ${b.pattern} ${b.name}`)).toEqual([
      'read literal shop-connect',
      'read prefixed connect-',
      // Resetting a sink connector's offsets deletes its group's.
      'delete prefixed connect-',
    ]);
  });
});
