import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, SERVICE_NAME } from './app.module';
import type { SampleViewConfig } from './config/config';
import { JsonLogger } from './platform/json.logger';

export interface CreateAppOptions {
  readonly logger?: LoggerService;
  readonly onFatal?: (error: Error) => void;
}

/**
 * The initialised Nest application (migrations applied, topics provisioned, view consumers started),
 * not yet listening. main.ts and the integration test both start the service through here.
 */
export async function createApp(config: SampleViewConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const logger = options.logger ?? new JsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  const app = await NestFactory.create(AppModule.forRoot(config, { onFatal: options.onFatal }), { logger, abortOnError: false });
  // SIGTERM/SIGINT → app.close(): consumers stop first, then HTTP, Kafka and the database (PlatformLifecycle).
  app.enableShutdownHooks();
  return app;
}
