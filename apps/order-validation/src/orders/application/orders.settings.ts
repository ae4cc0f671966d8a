/** Test-only fault injection points of the front door (FAILPOINT); '' in production. */
export const FAILPOINTS = ['', 'exit-after-outbox-write'] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

/** What the orders feature needs from the service configuration (provided by AppModule). */
export class OrdersSettings {
  constructor(
    readonly topicPrefix: string,
    /** Orders recorded and produced together at most (group commit). */
    readonly intakeMaxBatch = 500,
    /** How often the outbox relay looks for unpublished orders. */
    readonly relayIntervalMs = 1000,
    /** The relay leaves an order alone this long after it was recorded (its own request is publishing it). */
    readonly relayGraceMs = 3000,
    readonly failpoint: Failpoint = '',
  ) {}
}
