import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Topics, withTopicPrefix, type OrderPlacedEvent } from '@shop/contracts';
import { EventProducer } from '@shop/kafka';
import { GroupCommit } from '@shop/nest-platform';
import { OrdersRepository, type PlacedOrderEntry } from '../infra/orders.repository';
import { OrdersSettings } from './orders.settings';

export interface IntakeItem {
  readonly entry: PlacedOrderEntry;
  /** Kafka headers of the OrderPlaced (the request's trace context). */
  readonly headers: Readonly<Record<string, string>>;
}

/** 'published': recorded and acknowledged by the broker. 'taken': the order id or the idempotency key was already recorded. */
export type IntakeResult = 'published' | 'taken';

/** The broker did not take the OrderPlaced; the order is recorded and the outbox relay publishes it later. */
export class PublishFailedError extends Error {
  constructor(
    readonly orderId: string,
    cause: unknown,
  ) {
    super(`order ${orderId} is recorded but its OrderPlaced could not be published yet: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PublishFailedError';
  }
}

/**
 * The front door's write path, batched: the orders of concurrent requests are recorded together with their
 * OrderPlaced (one INSERT: the order row is its own outbox entry), produced together (one send, so the
 * idempotent producer's single request in flight carries many records), then marked published. Each request
 * gets its answer only after both the database and the broker have its order: 202 still means durable.
 * A crash between the INSERT and the ack leaves the rows in the outbox for OutboxRelay.
 */
@Injectable()
export class OrderIntake implements BeforeApplicationShutdown {
  private readonly logger = new Logger('OrderIntake');
  private readonly group: GroupCommit<IntakeItem, IntakeResult>;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly producer: EventProducer,
    private readonly settings: OrdersSettings,
  ) {
    this.group = new GroupCommit((items) => this.flush(items), { maxBatch: settings.intakeMaxBatch, maxInFlight: 2 });
  }

  record(item: IntakeItem): Promise<IntakeResult> {
    return this.group.submit(item);
  }

  /** Produces one OrderPlaced now (a retry with the same Idempotency-Key re-produces its order's event). */
  async publish(event: OrderPlacedEvent, headers: Readonly<Record<string, string>>): Promise<void> {
    try {
      await this.producer.send(withTopicPrefix(Topics.orders, this.settings.topicPrefix), [{ key: event.payload.orderId, value: event, headers }]);
    } catch (error) {
      throw new PublishFailedError(event.payload.orderId, error);
    }
  }

  /** Requests in flight get their answer before the producer disconnects. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.group.drain();
  }

  private async flush(items: readonly IntakeItem[]): Promise<(IntakeResult | Error)[]> {
    const inserted = await this.orders.insertPlaced(items.map((i) => ({ ...i.entry, headers: i.headers })));
    // An order id can appear twice in one batch (a client-chosen id sent twice at once): the first one owns it.
    const owners = new Set<IntakeItem>();
    const owned = new Set<string>();
    for (const item of items) {
      if (!inserted.has(item.entry.orderId) || owned.has(item.entry.orderId)) continue;
      owned.add(item.entry.orderId);
      owners.add(item);
    }
    if (this.settings.failpoint === 'exit-after-outbox-write' && owners.size > 0) {
      // Test-only (FAILPOINT): die the hardest way between the outbox write and the produce.
      this.logger.warn({ msg: 'FAILPOINT exit-after-outbox-write: killing the process', orderIds: [...owners].map((o) => o.entry.orderId) });
      process.kill(process.pid, 'SIGKILL');
    }
    const published = [...owners];
    let failure: Error | undefined;
    try {
      await this.producer.send(
        withTopicPrefix(Topics.orders, this.settings.topicPrefix),
        published.map((o) => ({ key: o.entry.orderId, value: o.entry.event, headers: o.headers })),
      );
    } catch (error) {
      failure = error as Error;
      this.logger.error({ msg: 'OrderPlaced not published (left in the outbox)', count: published.length, error: String(error) });
    }
    if (!failure) {
      // Acknowledged: a failure here only means the relay publishes them once more (same event ids).
      await this.orders.markPublished(published.map((o) => o.entry.orderId)).catch((error: unknown) => {
        this.logger.warn({ msg: 'could not mark orders published; the outbox relay will publish them again', error: String(error) });
      });
    }
    return items.map((item) => {
      if (!owners.has(item)) return 'taken';
      return failure ? new PublishFailedError(item.entry.orderId, failure) : 'published';
    });
  }
}
