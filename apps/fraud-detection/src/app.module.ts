import * as path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { Topics, withTopicPrefix } from '@shop/contracts';
import { PlatformModule } from '@shop/nest-platform';
import { AlertsModule } from './alerts/alerts.module';
import type { FraudDetectionConfig } from './config/config';
import { PrismaService } from './database/prisma.service';
import { verdictsProcessor } from './fraud/infra/verdicts.processor';
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
          // users first: the verdicts processor joins against it (catchUp before every chunk).
          views: (deps) => [usersView(config.topicPrefix), verdictsProcessor(deps, { usersCatchUpMs: config.usersCatchUpMs })],
          produces: [withTopicPrefix(Topics.fraudAlerts, config.topicPrefix)],
          ...(hooks.onFatal ? { onFatal: hooks.onFatal } : {}),
        }),
        AlertsModule,
      ],
    };
  }
}
