import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventProducer } from '@shop/kafka';
import { OrdersRepository } from '../infra/orders.repository';
import { OrdersSettings } from './orders.settings';

const BATCH = 500;

/**
 * Publishes the orders that were recorded but never acknowledged by the broker: the request's process
 * died between its INSERT and the ack, or the broker was away (that request got a 503). Runs in every
 * instance; FOR UPDATE SKIP LOCKED keeps two instances off the same rows. A row published twice (the relay
 * and a slow request both) is the same event id, which the orders processor dedupes.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly producer: EventProducer,
    private readonly settings: OrdersSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.round ??= this.relay().finally(() => (this.round = undefined));
    }, this.settings.relayIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** Relays until the outbox holds nothing older than the grace period; a failed round is logged, never thrown. */
  async relay(): Promise<void> {
    const topic = this.settings.ordersTopic;
    try {
      let total = 0;
      for (;;) {
        const published = await this.orders.relayUnpublished(this.settings.relayGraceMs, BATCH, (entries) =>
          this.producer.send(
            topic,
            entries.map((e) => ({ key: e.orderId, value: e.event, headers: e.headers })),
          ),
        );
        total += published;
        if (published < BATCH) break;
      }
      if (total > 0) this.logger.log({ msg: 'outbox relay published orders left unpublished', count: total });
      if (this.failing) this.logger.log({ msg: 'outbox relay working again' });
      this.failing = false;
    } catch (error) {
      // Broker or database away: the rows stay in the outbox for the next round.
      if (!this.failing) this.logger.warn({ msg: 'outbox relay round failed; retrying', error: String(error) });
      this.failing = true;
    }
  }
}
