import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@shop/nest-platform';
import type { SampleViewConfig } from './config/config';
import { PrismaService } from './database/prisma.service';
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
        // Kafka, Prisma, the users view's materializer, GET /health, POST /admin/rebuild, start/stop order.
        PlatformModule.forRoot({
          ...config,
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (databaseUrl, { service }) => new PrismaService(databaseUrl, service),
          prismaToken: PrismaService,
          views: [usersView(config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        UsersModule,
      ],
    };
  }
}
