import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { Topics, withTopicPrefix } from '@shop/contracts';
import { PlatformModule } from '@shop/nest-platform';
import type { OrderValidationConfig } from './config/config';
import { PrismaService } from './database/prisma.service';
import { ordersProcessor } from './orders/infra/orders.processor';
import { VerdictNotifier } from './orders/infra/verdict.notifier';
import { OrdersSettings } from './orders/application/orders.settings';
import { OrdersModule } from './orders/orders.module';
import { USERS_VIEW, usersView } from './users/infra/users.view';

export const SERVICE_NAME = 'order-validation';

/** The committed migrations, shipped beside src/ (apps/order-validation/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: OrderValidationConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    const notifier = new VerdictNotifier();
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          kafkaBrokers: config.kafkaBrokers,
          databaseUrl: config.databaseUrl,
          topicPrefix: config.topicPrefix,
          logLevel: config.logLevel,
          healthMaxLag: config.healthMaxLag,
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (url, { service }) => new PrismaService(url, service),
          prismaToken: PrismaService,
          views: (deps) => [
            usersView(deps.topicPrefix),
            ordersProcessor({
              topicPrefix: deps.topicPrefix,
              producer: deps.producer,
              usersView: () => deps.materializer(USERS_VIEW),
              usersCatchUpMs: config.usersCatchUpMs,
              notifier,
            }),
          ],
          // `orders` is written here too (POST /orders) but is already provisioned as the orders processor's
          // topic; listing it twice makes provisionTopics fail ("multiple entries for the same topic").
          produces: [withTopicPrefix(Topics.orderValidations, config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        OrdersModule.forRoot({
          settings: new OrdersSettings({
            topicPrefix: config.topicPrefix,
            intakeMaxBatch: config.intakeMaxBatch,
            relayIntervalMs: config.outboxRelayIntervalMs,
            relayGraceMs: config.outboxGraceMs,
            failpoint: config.failpoint,
          }),
          notifier,
        }),
      ],
    };
  }
}
