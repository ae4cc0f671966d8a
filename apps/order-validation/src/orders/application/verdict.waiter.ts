import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { hasVerdict, type OrderStatusView } from '../domain/order-status';
import { OrdersRepository } from '../infra/orders.repository';
import { VerdictNotifier } from '../infra/verdict.notifier';

interface Waiter {
  readonly orderId: string;
  readonly resolve: (view: OrderStatusView | undefined) => void;
}

/** How often the waiting requests re-read their orders (one query for all of them). */
export const POLL_INTERVAL_MS = 50;

/**
 * Holds GET /orders/:id?waitMs= requests until their order has a verdict or their time is up. All waiting
 * requests share ONE poll of the database every 50 ms (`= ANY($1)` over their order ids), and the orders
 * processor's in-process notification triggers an extra read at once. Nothing polls while nobody waits.
 */
@Injectable()
export class VerdictWaiter implements OnModuleDestroy {
  private readonly logger = new Logger('VerdictWaiter');
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private readAgain = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly orders: OrdersRepository,
    notifier: VerdictNotifier,
  ) {
    this.unsubscribe = notifier.subscribe(() => {
      if (this.waiters.size > 0) void this.read();
    });
  }

  /** The order once it has a verdict, or undefined when `waitMs` passed first (or the service stops). */
  waitForVerdict(orderId: string, waitMs: number): Promise<OrderStatusView | undefined> {
    return new Promise((resolve) => {
      const deadline = setTimeout(() => finish(undefined), waitMs);
      const waiter: Waiter = { orderId, resolve: (view) => finish(view) };
      const finish = (view: OrderStatusView | undefined) => {
        clearTimeout(deadline);
        if (this.waiters.delete(waiter)) resolve(view);
      };
      this.waiters.add(waiter);
      this.schedule();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    for (const waiter of [...this.waiters]) waiter.resolve(undefined);
  }

  private schedule(): void {
    if (this.timer || this.waiters.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, POLL_INTERVAL_MS);
  }

  private async read(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const ids = [...new Set([...this.waiters].map((w) => w.orderId))];
        if (ids.length === 0) break;
        const views = await this.orders.findStatuses(ids);
        for (const waiter of [...this.waiters]) {
          const view = views.get(waiter.orderId);
          if (view && hasVerdict(view)) waiter.resolve(view);
        }
      } while (this.readAgain);
    } catch (error) {
      this.logger.warn({ msg: 'reading verdicts failed; retrying', error: String(error) });
    } finally {
      this.reading = false;
      this.schedule();
    }
  }
}
