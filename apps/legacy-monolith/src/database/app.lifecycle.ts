import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { applyMigrations } from '@shop/db';
import { PrismaService } from './prisma.service';

export const DATABASE_URL = Symbol('DATABASE_URL');

/** The committed migrations, shipped beside src/ (apps/legacy-monolith/prisma/migrations). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'prisma', 'migrations');

/**
 * Start: the committed migrations are applied (advisory-locked) before the app is initialised, hence before
 * HTTP listens. Shutdown (SIGTERM/SIGINT → app.close()): Nest closes the HTTP server (in-flight requests
 * finish) and only then calls onApplicationShutdown: Prisma disconnects last (closes the pg pool).
 */
@Injectable()
export class AppLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly prisma: PrismaService,
  ) {}

  async onModuleInit(): Promise<void> {
    const { applied } = await applyMigrations({
      databaseUrl: this.databaseUrl,
      migrationsDir: MIGRATIONS_DIR,
      logger: new Logger('Migrations'),
    });
    this.logger.log({ msg: 'database ready', appliedMigrations: applied });
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.prisma.$disconnect();
    this.logger.log({ msg: 'stopped', signal: signal ?? null });
  }
}
