import { Topics, withTopicPrefix, type TopicDefinition, type OrderPlacedEvent, type UserRecord } from '@shop/contracts';

/** Test-only fault injection points of the front door (FAILPOINT); '' in production. */
export const FAILPOINTS = ['', 'exit-after-outbox-write'] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

/** What the orders feature needs from the service configuration (provided by AppModule; defaults in config.ts). */
export class OrdersSettings {
  readonly topicPrefix: string;
  /** Orders recorded and produced together at most (group commit). */
  readonly intakeMaxBatch: number;
  /** How often the outbox relay looks for unpublished orders. */
  readonly relayIntervalMs: number;
  /** The relay leaves an order alone this long after it was recorded (its own request is publishing it). */
  readonly relayGraceMs: number;
  readonly failpoint: Failpoint;
  /** How far ahead of the service's clock a request's placedAt may be (MAX_PLACED_AT_AHEAD_MS). */
  readonly maxPlacedAtAheadMs: number;
  /** The `orders` topic under the service's prefix, where OrderPlaced goes. */
  readonly ordersTopic: TopicDefinition<OrderPlacedEvent>;
  /** The `users` topic under the service's prefix, whose high watermarks each OrderPlaced carries (users-as-of). */
  readonly usersTopic: TopicDefinition<UserRecord>;

  constructor(settings: Omit<OrdersSettings, 'ordersTopic' | 'usersTopic'>) {
    this.topicPrefix = settings.topicPrefix;
    this.intakeMaxBatch = settings.intakeMaxBatch;
    this.relayIntervalMs = settings.relayIntervalMs;
    this.relayGraceMs = settings.relayGraceMs;
    this.failpoint = settings.failpoint;
    this.maxPlacedAtAheadMs = settings.maxPlacedAtAheadMs;
    this.ordersTopic = withTopicPrefix(Topics.orders, settings.topicPrefix);
    this.usersTopic = withTopicPrefix(Topics.users, settings.topicPrefix);
  }
}
