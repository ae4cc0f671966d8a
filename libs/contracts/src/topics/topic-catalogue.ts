import { z } from 'zod';
import { userRecordSchema } from '../events/user-record';
import { USERS_HISTORY_MS } from './users-as-of';
import { eventVersion, type EventVersion } from '../envelope/envelope';
import {
  fraudAlertRaisedEventSchema,
  orderPlacedEventSchema,
  orderPlacedV1EventSchema,
  orderPlacedV2EventSchema,
  orderRejectedEventSchema,
  orderValidatedV1EventSchema,
  orderValidatedV2EventSchema,
  orderVerdictEventSchema,
  shipmentCreatedEventSchema,
} from '../events/order-events';

/**
 * One Kafka topic: its name, what its key is, the schema of its (non-null) values, who writes it, and
 * how the broker must configure it. This catalogue is the only place where a topic is defined;
 * provisioning, producers, consumers and the AsyncAPI document read it.
 */
export interface TopicDefinition<TValue = unknown> {
  readonly name: string;
  readonly description: string;
  /** Human description of the key; keys are plain UTF-8 strings. */
  readonly key: string;
  /** 'changelog': latest value per key matters, null value = delete (compacted). 'events': every record matters. */
  readonly kind: 'changelog' | 'events';
  /** Decodes a value of any version in `versions` to the latest shape (TValue). */
  readonly value: z.ZodType<TValue>;
  /** Every (type, version) a record of this topic may have been written with, oldest first per type. */
  readonly versions: readonly EventVersion[];
  /** The single service allowed to produce to it (a name of the services manifest). */
  readonly writer: string;
  /** Set when the writer has no producer of its own: 'cdc' = Debezium publishes the writer's table. */
  readonly via?: 'cdc';
  readonly partitions: number;
  /** Broker-side topic configuration (cleanup.policy, retention, …). */
  readonly config: Readonly<Record<string, string>>;
}

function topic<TValue>(definition: TopicDefinition<TValue>): TopicDefinition<TValue> {
  return definition;
}

const DEFAULT_PARTITIONS = 3;

export const Topics = {
  users: topic({
    name: 'users',
    description: "Change data capture of the legacy monolith's users table: the latest row per user id.",
    key: 'user id',
    kind: 'changelog',
    value: userRecordSchema,
    // Debezium's rows carry no version: the table's shape is the contract, "UserRow" v1.
    versions: [{ type: 'UserRow', version: 1, schema: userRecordSchema }],
    writer: 'legacy-monolith',
    via: 'cdc',
    partitions: DEFAULT_PARTITIONS,
    // Compaction keeps the newest record per key forever, so a new service can build its view from offset 0.
    // A replaced record stays USERS_HISTORY_MS after its successor was written (min.compaction.lag.ms), and
    // tombstones as long: the versioned users views rebuild exactly for that long (users-as-of.ts).
    config: {
      'cleanup.policy': 'compact',
      'delete.retention.ms': String(USERS_HISTORY_MS),
      'min.compaction.lag.ms': String(USERS_HISTORY_MS),
    },
  }),
  orders: topic({
    name: 'orders',
    description: 'Orders accepted at the front door (POST /orders).',
    key: 'order id',
    kind: 'events',
    value: orderPlacedEventSchema,
    versions: [eventVersion(orderPlacedV1EventSchema), eventVersion(orderPlacedV2EventSchema)],
    writer: 'order-validation',
    partitions: DEFAULT_PARTITIONS,
    config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  }),
  orderValidations: topic({
    name: 'order-validations',
    description: 'The verdict on every order: OrderValidated or OrderRejected with reasons.',
    key: 'order id',
    kind: 'events',
    value: orderVerdictEventSchema,
    versions: [
      eventVersion(orderValidatedV1EventSchema),
      eventVersion(orderValidatedV2EventSchema),
      eventVersion(orderRejectedEventSchema),
    ],
    writer: 'order-validation',
    partitions: DEFAULT_PARTITIONS,
    config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  }),
  shipments: topic({
    name: 'shipments',
    description: 'One shipment per validated order, with the address as it was at validation time.',
    key: 'order id',
    kind: 'events',
    value: shipmentCreatedEventSchema,
    versions: [eventVersion(shipmentCreatedEventSchema)],
    writer: 'shipping',
    partitions: DEFAULT_PARTITIONS,
    config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  }),
  fraudAlerts: topic({
    name: 'fraud-alerts',
    description:
      'Fraud rules that fired, with their evidence. A window alert comes again, same id, when a late order moves its crossing earlier: keep the least (raisedAt, orderId) of each id.',
    key: 'order id',
    kind: 'events',
    value: fraudAlertRaisedEventSchema,
    versions: [eventVersion(fraudAlertRaisedEventSchema)],
    writer: 'fraud-detection',
    partitions: DEFAULT_PARTITIONS,
    config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  }),
} as const;

export type TopicKey = keyof typeof Topics;
export type TopicValue<T> = T extends TopicDefinition<infer V> ? V : never;

/** Dead letters of `topic`: the original bytes, the error in headers. Never compacted, kept long. */
export function deadLetterTopicName(topicName: string): string {
  return `${topicName}.dlq`;
}

export const DEAD_LETTER_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': String(30 * 24 * 3600 * 1000),
};

/**
 * A topic definition under another name. Tests use this to give every test its own topics; a
 * deployment can use it to namespace a whole environment (`TOPIC_PREFIX`).
 */
export function renameTopic<TValue>(definition: TopicDefinition<TValue>, name: string): TopicDefinition<TValue> {
  return { ...definition, name };
}

export function withTopicPrefix<TValue>(definition: TopicDefinition<TValue>, prefix: string): TopicDefinition<TValue> {
  return prefix ? renameTopic(definition, `${prefix}${definition.name}`) : definition;
}

export const allTopics: readonly TopicDefinition[] = Object.values(Topics) as readonly TopicDefinition[];
