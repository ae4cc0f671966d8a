import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { LegacyMonolithConfig } from './config/config';
import { AppLifecycle, DATABASE_URL } from './database/app.lifecycle';
import { PrismaService } from './database/prisma.service';
import { HealthController } from './health/health.controller';
import { UsersModule } from './users/users.module';

export const SERVICE_NAME = 'legacy-monolith';

/** The database: one Prisma client for the app, migrations at start, disconnected last. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: databaseUrl },
        { provide: PrismaService, useFactory: () => new PrismaService(databaseUrl, SERVICE_NAME) },
        AppLifecycle,
      ],
      exports: [PrismaService],
    };
  }
}

/** No Kafka here: the `users` table reaches the `users` topic through CDC (Debezium), outside this app. */
@Module({})
export class AppModule {
  static forRoot(config: Pick<LegacyMonolithConfig, 'databaseUrl'>): DynamicModule {
    return {
      module: AppModule,
      imports: [DatabaseModule.forRoot(config.databaseUrl), UsersModule],
      controllers: [HealthController],
    };
  }
}
