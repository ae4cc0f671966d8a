import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { invalidJsonFilter } from '@shop/nest-platform';
import { OrdersController } from './application/orders.controller';
import { OrderIntake } from './application/order-intake';
import { OrdersSettings } from './application/orders.settings';
import { OutboxRelay } from './application/outbox.relay';
import { PlaceOrderService } from './application/place-order.service';
import { VerdictWaiter } from './application/verdict.waiter';
import { OrdersRepository } from './infra/orders.repository';
import { VerdictNotifier } from './infra/verdict.notifier';

/**
 * POST /orders and GET /orders/:id. The orders processor itself runs under the platform's materializers;
 * `notifier` is the same instance it publishes to, so waiting requests hear about new verdicts.
 */
@Module({})
export class OrdersModule {
  static forRoot(options: { readonly settings: OrdersSettings; readonly notifier: VerdictNotifier }): DynamicModule {
    return {
      module: OrdersModule,
      controllers: [OrdersController],
      providers: [
        { provide: OrdersSettings, useValue: options.settings },
        { provide: VerdictNotifier, useValue: options.notifier },
        OrdersRepository,
        OrderIntake,
        OutboxRelay,
        PlaceOrderService,
        VerdictWaiter,
        {
          provide: APP_FILTER,
          // POST /orders with malformed JSON: a 400 in the same shape as a schema failure.
          useClass: invalidJsonFilter({ error: 'invalid order', appliesTo: (r) => r.method === 'POST' && r.path === '/orders' }),
        },
      ],
    };
  }
}
