import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@shop/nest-platform';
import { AlertsModule } from './alerts/alerts.module';
import type { FraudDetectionConfig } from './config/config';
import { PrismaService } from './database/prisma.service';
import { FraudModule } from './fraud/fraud.module';
import { usersView } from './users/infra/users.view';

export const SERVICE_NAME = 'fraud-detection';

/** The committed migrations, shipped beside src/ (apps/fraud-detection/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

@Module({})
export class AppModule {
  static forRoot(config: FraudDetectionConfig, hooks: { onFatal?: (error: Error) => void } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          ...config, // kafkaBrokers, databaseUrl, topicPrefix, logLevel, healthMaxLag
          service: SERVICE_NAME,
          migrationsDir: MIGRATIONS_DIR,
          prisma: (url, { service }) => new PrismaService(url, service),
          prismaToken: PrismaService,
          // The users table; the verdicts processor (FraudModule) joins it.
          views: [usersView(config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        FraudModule,
        AlertsModule,
      ],
    };
  }
}
