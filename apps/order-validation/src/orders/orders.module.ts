import { Module, type DynamicModule } from '@nestjs/common';
import { OrdersController } from './application/orders.controller';
import { OrderIntake } from './application/order-intake';
import { OrdersSettings } from './application/orders.settings';
import { OutboxRelay } from './application/outbox.relay';
import { PlaceOrderService } from './application/place-order.service';
import { VerdictWaiter } from './application/verdict.waiter';
import { OrdersProcessor } from './infra/orders.processor';
import { OrdersRepository } from './infra/orders.repository';
import { VerdictNotifier } from './infra/verdict.notifier';

/**
 * POST /orders and GET /orders/:id, and the orders processor (a @ViewHandler run by the platform's
 * transport), which publishes new verdicts to the requests waiting for them through the VerdictNotifier.
 */
@Module({})
export class OrdersModule {
  static forRoot(options: { readonly settings: OrdersSettings }): DynamicModule {
    return {
      module: OrdersModule,
      controllers: [OrdersController, OrdersProcessor],
      providers: [
        { provide: OrdersSettings, useValue: options.settings },
        VerdictNotifier,
        OrdersRepository,
        OrderIntake,
        OutboxRelay,
        PlaceOrderService,
        VerdictWaiter,
      ],
    };
  }
}
