import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@shop/nest-platform';
import type { AnalyticsConfig } from './config/config';
import { DashboardModule } from './dashboard/dashboard.module';
import { PrismaService } from './database/prisma.service';
import { RollupsModule } from './rollups/rollups.module';
import { usersView } from './users/infra/users.view';

export const SERVICE_NAME = 'analytics';

/** The committed migrations, shipped beside src/ (apps/analytics/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: AnalyticsConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Kafka, Prisma, the views on the platform's transport, GET /health, POST /admin/rebuild, start/stop order.
        PlatformModule.forRoot({
          ...config,
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (databaseUrl, { service }) => new PrismaService(databaseUrl, service),
          prismaToken: PrismaService,
          // The users table; the verdicts processor (RollupsModule) joins it.
          views: [usersView(config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        RollupsModule,
        DashboardModule.forRoot(config.dashboardServices),
      ],
    };
  }
}
