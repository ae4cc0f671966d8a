import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@shop/nest-platform';
import type { CustomerProfilesConfig } from './config/config';
import { CustomersModule } from './customers/customers.module';
import { PrismaService } from './database/prisma.service';
import { usersView } from './users/infra/users.view';

export const SERVICE_NAME = 'customer-profiles';

/** The committed migrations, shipped beside src/ (apps/customer-profiles/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: CustomerProfilesConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Kafka, Prisma, the views (the users table here, the facts processors in CustomersModule) on the
        // platform's transport, GET /health, POST /admin/rebuild, start/stop order.
        PlatformModule.forRoot({
          ...config,
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (databaseUrl, { service }) => new PrismaService(databaseUrl, service),
          prismaToken: PrismaService,
          views: [usersView(config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        CustomersModule,
      ],
    };
  }
}
