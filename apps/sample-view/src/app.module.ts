import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import type { SampleViewConfig } from './config/config';
import { HealthModule } from './health/health.module';
import { PlatformModule } from './platform/platform.module';
import { usersView } from './users/infra/users.view';
import { UsersModule } from './users/users.module';

export const SERVICE_NAME = 'sample-view';

/** The committed migrations, shipped beside src/ (apps/sample-view/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: SampleViewConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE_NAME,
          kafkaBrokers: config.kafkaBrokers,
          databaseUrl: config.databaseUrl,
          topicPrefix: config.topicPrefix,
          logLevel: config.logLevel,
          migrationsDir: MIGRATIONS_DIR,
          views: [usersView(config.topicPrefix)],
          healthMaxLag: config.healthMaxLag,
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        UsersModule,
        HealthModule,
        AdminModule,
      ],
    };
  }
}
