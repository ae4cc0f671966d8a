import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { Topics, withTopicPrefix } from '@shop/contracts';
import { PlatformModule } from '@shop/nest-platform';
import type { OrderValidationConfig } from './config/config';
import { PrismaService } from './database/prisma.service';
import { OrdersSettings } from './orders/application/orders.settings';
import { OrdersModule } from './orders/orders.module';
import { usersView } from './users/infra/users.view';

export const SERVICE_NAME = 'order-validation';

/** The committed migrations, shipped beside src/ (apps/order-validation/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: OrderValidationConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          ...config,
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (url, { service }) => new PrismaService(url, service),
          prismaToken: PrismaService,
          // The users table; the orders processor is a @ViewHandler in OrdersModule.
          views: [usersView(config.topicPrefix)],
          // The front door (POST /orders) writes `orders`, outside any view handler.
          produces: [withTopicPrefix(Topics.orders, config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        OrdersModule.forRoot({
          settings: new OrdersSettings({
            topicPrefix: config.topicPrefix,
            intakeMaxBatch: config.intakeMaxBatch,
            relayIntervalMs: config.outboxRelayIntervalMs,
            relayGraceMs: config.outboxGraceMs,
            failpoint: config.failpoint,
            maxPlacedAtAheadMs: config.maxPlacedAtAheadMs,
          }),
        }),
      ],
    };
  }
}
