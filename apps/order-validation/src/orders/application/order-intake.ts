import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { encodeUsersAsOf, USERS_AS_OF_HEADER, watermarksAsOf, type OrderPlacedEvent } from '@shop/contracts';
import { EventProducer, type Admin, type KafkaClient } from '@shop/kafka';
import { GroupCommit, KAFKA_CLIENT } from '@shop/nest-platform';
import { OrdersRepository, type PlacedOrderEntry } from '../infra/orders.repository';
import { OrdersSettings } from './orders.settings';

export interface IntakeItem {
  readonly entry: PlacedOrderEntry;
  /** Kafka headers of the OrderPlaced (the request's trace context; the intake adds users-as-of). */
  readonly headers: Readonly<Record<string, string>>;
}

/** How long a batch waits for the users watermarks before it is recorded without them (broker slow or away). */
const USERS_WATERMARKS_TIMEOUT_MS = 2_000;

/** 'published': recorded and acknowledged by the broker. 'taken': the order id or the idempotency key was already recorded. */
export type IntakeResult = 'published' | 'taken';

/** The broker did not take the OrderPlaced; the order is recorded and the outbox relay publishes it later. */
export class PublishFailedError extends Error {
  constructor(
    readonly orderId: string,
    cause: unknown,
  ) {
    super(
      `order ${orderId} is recorded but its OrderPlaced could not be published yet: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'PublishFailedError';
  }
}

/**
 * The front door's write path, batched: the orders of concurrent requests are recorded together with their
 * OrderPlaced (one INSERT: the order row is its own outbox entry), produced together (one send, so the
 * idempotent producer's single request in flight carries many records), then marked published. Each request
 * gets its answer only after both the database and the broker have its order: 202 still means durable.
 * A crash between the INSERT and the ack leaves the rows in the outbox for OutboxRelay.
 *
 * Each batch first reads the `users` topic's high watermarks (after all its requests arrived) and stamps them on
 * its OrderPlaced records (header users-as-of): every service then joins each order with its user as the log
 * held it when the order was accepted, on every replay the same (contracts' users-as-of.ts). When the broker
 * does not answer in time, the orders are recorded without it and join as of their record's timestamp.
 *
 * It has a producer of its own: the service's shared producer also carries the orders processor's verdicts,
 * and an idempotent kafkajs producer sends one request at a time, so requests would wait behind them.
 */
@Injectable()
export class OrderIntake implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('OrderIntake');
  private readonly group: GroupCommit<IntakeItem, IntakeResult>;
  private producer: EventProducer | undefined;
  private admin: Admin | undefined;
  /** Outbox rows being marked published after their requests were answered. */
  private readonly marking = new Set<Promise<void>>();

  constructor(
    private readonly orders: OrdersRepository,
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
    private readonly settings: OrdersSettings,
  ) {
    this.group = new GroupCommit((items) => this.flush(items), { maxBatch: settings.intakeMaxBatch, maxInFlight: 2 });
  }

  async onModuleInit(): Promise<void> {
    this.producer = new EventProducer(await this.kafka.producer());
    this.admin = await this.kafka.admin();
  }

  private get events(): EventProducer {
    if (!this.producer) throw new Error('OrderIntake used before its producer connected');
    return this.producer;
  }

  record(item: IntakeItem): Promise<IntakeResult> {
    return this.group.submit(item);
  }

  /** Produces one OrderPlaced now (a retry with the same Idempotency-Key re-produces its order's event). */
  async publish(event: OrderPlacedEvent, headers: Readonly<Record<string, string>>): Promise<void> {
    try {
      await this.events.send(this.settings.ordersTopic, [{ key: event.payload.orderId, value: event, headers }]);
    } catch (error) {
      throw new PublishFailedError(event.payload.orderId, error);
    }
  }

  /** Requests in flight get their answer before the producer disconnects. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.group.drain();
    await Promise.all(this.marking);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** The users-as-of header of a batch: the users topic's high watermarks now ({} when they cannot be read in time). */
  private async usersAsOf(): Promise<Record<string, string>> {
    const admin = this.admin;
    if (!admin) throw new Error('OrderIntake used before its admin client connected');
    let timer: NodeJS.Timeout | undefined;
    try {
      const offsets = await Promise.race([
        admin.fetchOffsets(this.settings.usersTopic.name),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${USERS_WATERMARKS_TIMEOUT_MS} ms`)), USERS_WATERMARKS_TIMEOUT_MS);
        }),
      ]);
      return { [USERS_AS_OF_HEADER]: encodeUsersAsOf(watermarksAsOf(offsets)) };
    } catch (error) {
      this.logger.warn({ msg: 'users watermarks not read: these orders join users as of their record timestamp', error: String(error) });
      return {};
    } finally {
      clearTimeout(timer);
    }
  }

  private async flush(batch: readonly IntakeItem[]): Promise<(IntakeResult | Error)[]> {
    const asOf = await this.usersAsOf();
    const items = batch.map((i) => ({ ...i, headers: { ...i.headers, ...asOf } }));
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
      this.logger.warn({
        msg: 'FAILPOINT exit-after-outbox-write: killing the process',
        orderIds: [...owners].map((o) => o.entry.orderId),
      });
      process.kill(process.pid, 'SIGKILL');
    }
    const published = [...owners];
    let failure: Error | undefined;
    try {
      await this.events.send(
        this.settings.ordersTopic,
        published.map((o) => ({ key: o.entry.orderId, value: o.entry.event, headers: o.headers })),
      );
    } catch (error) {
      failure = error as Error;
      this.logger.error({ msg: 'OrderPlaced not published (left in the outbox)', count: published.length, error: String(error) });
    }
    if (!failure) {
      // Acknowledged: the requests are answered now; marking the rows is off their path. A failure there only
      // means the relay publishes them once more (same event ids).
      const mark: Promise<void> = this.orders
        .markPublished(published.map((o) => o.entry.orderId))
        .catch((error: unknown) => {
          this.logger.warn({ msg: 'could not mark orders published; the outbox relay will publish them again', error: String(error) });
        })
        .finally(() => this.marking.delete(mark));
      this.marking.add(mark);
    }
    return items.map((item) => {
      if (!owners.has(item)) return 'taken';
      return failure ? new PublishFailedError(item.entry.orderId, failure) : 'published';
    });
  }
}
