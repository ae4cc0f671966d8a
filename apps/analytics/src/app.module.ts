import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@shop/nest-platform';
import type { AnalyticsConfig } from './config/config';
import { DashboardModule } from './dashboard/dashboard.module';
import { PrismaService } from './database/prisma.service';
import { fraudAlertsCounter } from './rollups/infra/fraud-alerts.counter';
import { shipmentsCounter } from './rollups/infra/shipments.counter';
import { verdictsProcessor } from './rollups/infra/verdicts.processor';
import { RollupsModule } from './rollups/rollups.module';
import { USERS_VIEW, usersView } from './users/infra/users.view';

export const SERVICE_NAME = 'analytics';

/** The committed migrations, shipped beside src/ (apps/analytics/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: AnalyticsConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Kafka, Prisma, the views' materializers, GET /health, POST /admin/rebuild, start/stop order.
        PlatformModule.forRoot({
          kafkaBrokers: config.kafkaBrokers,
          databaseUrl: config.databaseUrl,
          topicPrefix: config.topicPrefix,
          logLevel: config.logLevel,
          healthMaxLag: config.healthMaxLag,
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (databaseUrl, { service }) => new PrismaService(databaseUrl, service),
          prismaToken: PrismaService,
          // Start (and rebuild) order: the users view first, the verdicts processor joins it.
          views: (deps) => [
            usersView(config.topicPrefix),
            verdictsProcessor(config.topicPrefix, () => deps.materializer(USERS_VIEW), config.usersCatchUpMs),
            shipmentsCounter(config.topicPrefix),
            fraudAlertsCounter(config.topicPrefix),
          ],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        RollupsModule,
        DashboardModule.forRoot(config.dashboardServices),
      ],
    };
  }
}
