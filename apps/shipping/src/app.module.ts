import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@shop/nest-platform';
import type { ShippingConfig } from './config/config';
import { PrismaService } from './database/prisma.service';
import { shipmentsTopic, verdictsProcessor } from './shipments/infra/verdicts.processor';
import { ShipmentsModule } from './shipments/shipments.module';
import { USERS_VIEW, usersView } from './users/infra/users.view';

export const SERVICE_NAME = 'shipping';

/** The committed migrations, shipped beside src/ (apps/shipping/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: ShippingConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Kafka, Prisma, the materializers of both views, GET /health, POST /admin/rebuild, start/stop order.
        PlatformModule.forRoot({
          ...config,
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (databaseUrl, { service }) => new PrismaService(databaseUrl, service),
          prismaToken: PrismaService,
          views: (deps) => {
            return [
              usersView(deps.topicPrefix),
              verdictsProcessor({
                topicPrefix: deps.topicPrefix,
                producer: deps.producer,
                catchUpUsers: () => deps.materializer(USERS_VIEW).catchUp(config.usersCatchUpMs),
              }),
            ];
          },
          produces: [shipmentsTopic(config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        ShipmentsModule,
      ],
    };
  }
}
