import { allTopics, deadLetterTopicName, serviceManifest, type ServiceEntry } from '@shop/contracts';
import type { AclBinding } from '../client/kafka-client.port';

/** The catalogue's topics that Kafka Connect publishes from a service's table (Debezium), not the service itself. */
const viaCdc = allTopics.filter((t) => t.via === 'cdc').map((t) => t.name);

/** `operations` for `principal` on each of `topics` (under the deployment's prefix), allowed as literal names. */
export const topicAcls = (
  principal: string,
  topicPrefix: string,
  topics: readonly string[],
  operations: readonly AclBinding['operation'][],
) =>
  topics.flatMap((name) =>
    operations.map((operation): AclBinding => ({
      resource: 'topic',
      pattern: 'literal',
      name: `${topicPrefix}${name}`,
      principal,
      operation,
    })),
  );

/**
 * The ACLs of one service's Kafka principal (`User:<service name>`), derived from the services manifest and the topic
 * catalogue, so that the "single writer per topic" rule is the brokers' to enforce, not only the catalogue's:
 *
 * - a topic it produces (the catalogue names it the writer): write, and create (a service provisions its topics);
 *   and create and describe on that topic's dead-letter topic (provisioned with it), without read or write;
 * - a topic it consumes: read and create; and that topic's dead-letter topic, which every consumer writes and reads
 *   (`dlq` replay): read, write, create;
 * - describe-configs on each of them (the topic checks read the settings), and read on every consumer group under
 *   `<prefix><service>.` (its views' groups and the replay groups made from them).
 *
 * Nothing else: no other topic, no other group, nothing on the cluster. Read and write include describe.
 * `topicPrefix` is the deployment's (TOPIC_PREFIX): the tests give every run its own.
 */
export function serviceAcls(service: Pick<ServiceEntry, 'name' | 'consumes' | 'produces'>, topicPrefix = ''): AclBinding[] {
  const principal = `User:${service.name}`;
  // A topic the service writes through CDC is published by Connect's principal (cdcAcls), never by the service.
  const produced = service.produces.filter((name) => !viaCdc.includes(name));
  return [
    ...topicAcls(principal, topicPrefix, produced, ['write', 'create', 'describe-configs']),
    // It provisions each of those with its dead-letter topic (topicSpecs), which only the topic's consumers write.
    ...topicAcls(principal, topicPrefix, produced.map(deadLetterTopicName), ['create', 'describe']),
    ...topicAcls(principal, topicPrefix, service.consumes, ['read', 'create', 'describe-configs']),
    ...topicAcls(principal, topicPrefix, service.consumes.map(deadLetterTopicName), ['read', 'write', 'create', 'describe-configs']),
    { resource: 'group', pattern: 'prefixed', name: `${topicPrefix}${service.name}.`, principal, operation: 'read' },
  ];
}

/**
 * The ACLs of the principal that publishes the topics a service writes through CDC (Kafka Connect running Debezium:
 * the catalogue's `via: 'cdc'` topics): write and create on them. Connect's own topics and group are the worker's
 * configuration, not the catalogue's, and come with it.
 */
export function cdcAcls(principalName: string, topicPrefix = ''): AclBinding[] {
  return topicAcls(`User:${principalName}`, topicPrefix, viaCdc, ['write', 'create', 'describe-configs']);
}

/**
 * Every ACL one deployment (one TOPIC_PREFIX) needs: each Kafka service's of the services manifest (serviceAcls), and
 * the CDC writer's (cdcAcls; `connect` is the principal infra/local and compose give Kafka Connect).
 */
export function deploymentAcls(topicPrefix = '', cdcPrincipal = 'connect'): AclBinding[] {
  return [...serviceManifest.filter((s) => s.kafka).flatMap((s) => serviceAcls(s, topicPrefix)), ...cdcAcls(cdcPrincipal, topicPrefix)];
}

/** A Kafka Connect worker as the brokers see it: its principal, its group (`group.id`), its three storage topics. */
export interface ConnectWorker {
  readonly principal: string;
  readonly groupId: string;
  /** config.storage.topic, offset.storage.topic, status.storage.topic (the worker creates them, compacted). */
  readonly storageTopics: readonly string[];
}

/**
 * What a Kafka Connect worker's principal needs on a broker that checks ACLs, apart from its connectors' topics
 * (cdcAcls, and @shop/cdc's warehouseSinkAcls): its storage topics (create, read, write, see their settings), its
 * group, and the groups of its sink connectors (`connect-<connector>`: read, and delete, which resetting a sink's
 * offsets does). infra/local (connect.mjs) grants the same before it starts its worker; compose's kafka-init does.
 */
export function connectWorkerAcls(worker: ConnectWorker): AclBinding[] {
  const principal = `User:${worker.principal}`;
  return [
    ...topicAcls(principal, '', worker.storageTopics, ['read', 'write', 'create', 'describe', 'describe-configs']),
    { resource: 'group', pattern: 'literal', name: worker.groupId, principal, operation: 'read' },
    ...(['read', 'delete'] as const).map((operation): AclBinding => ({
      resource: 'group',
      pattern: 'prefixed',
      name: 'connect-',
      principal,
      operation,
    })),
  ];
}
