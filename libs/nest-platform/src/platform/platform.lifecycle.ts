import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { applyMigrations, PgDatabase } from '@shop/db';
import { isDatabaseUnavailable, provisionTopics, type Admin, type Producer } from '@shop/kafka';
import { ViewTransport } from '../transport/view.transport';
import { Materializers } from './materializers';
import {
  KAFKA_ADMIN,
  KAFKA_PRODUCER,
  PLATFORM_OPTIONS,
  PRISMA_CLIENT,
  type PlatformDatabase,
  type PrismaClientLike,
  type PlatformOptions,
} from './platform.tokens';

/**
 * The order in which the service's connections come up and go down, in one place:
 *   start:    (Kafka admin + producer connect in their factories) → the ViewTransport listens (registers the
 *             views) → migrations → topics → HTTP listens, while the view consumers join their groups in the
 *             background (GET /health/ready says when they are in)
 *   shutdown: view consumers stop (in-flight chunk commits) → HTTP server closes (Nest) → producer/admin
 *             disconnect → Prisma disconnects (closes the pg pool)
 * Nest runs beforeApplicationShutdown before it closes the HTTP server and onApplicationShutdown after.
 */
/** How long a starting service waits for its database before it gives up (and its supervisor restarts it). */
const DB_START_WAIT_MS = 60_000;

@Injectable()
export class PlatformLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Platform');
  private closed = false;

  constructor(
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(PRISMA_CLIENT) private readonly prisma: PrismaClientLike,
    @Inject(PgDatabase) private readonly db: PlatformDatabase,
    private readonly materializers: Materializers,
    private readonly transport: ViewTransport,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.transport.listening) {
      throw new Error(
        "the service's views are run by its ViewTransport: create the app with createServiceApp() (or bootstrapService), " +
          'which connects it as a microservice and starts it before the app initialises',
      );
    }
    this.materializers.seal();
    await this.closeOnFailure(async () => {
      const migrationLogger = new Logger('Migrations');
      const { applied } = await this.waitForDatabase(() =>
        applyMigrations({
          databaseUrl: this.options.databaseUrl,
          migrationsDir: this.options.migrationsDir,
          logger: { log: (m) => migrationLogger.log(m), warn: (m) => migrationLogger.warn(m) },
        }),
      );
      this.logger.log({ msg: 'database migrated', applied });
      // A topic may be both consumed and produced (order-validation's `orders`): provisioned once.
      const declared = [...this.materializers.views.map((v) => v.topic), ...this.transport.produced, ...(this.options.produces ?? [])];
      const topics = [...new Map(declared.map((t) => [t.name, t])).values()];
      const created = await provisionTopics(this.admin, topics);
      this.logger.log({ msg: 'topics provisioned', topics: topics.map((t) => t.name), created });
    });
  }

  /**
   * Not awaited: joining a consumer group can take a session timeout (a SIGKILLed predecessor still holds
   * its partitions), and neither HTTP nor the front door needs the views to be running.
   */
  onApplicationBootstrap(): void {
    void this.materializers.startAll();
  }

  /** Start-up while PostgreSQL restarts: connection failures are retried for up to DB_START_WAIT_MS, anything else fails at once. */
  private async waitForDatabase<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + DB_START_WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || Date.now() >= deadline) throw error;
        const retryInMs = Math.min(2000, 100 * 2 ** Math.min(attempt - 1, 5));
        this.logger.warn({ msg: 'database not available yet: retrying', attempt, retryInMs, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
      }
    }
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log({ msg: 'shutting down: stopping view consumers', signal: signal ?? null });
    await this.materializers.stopAll();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeConnections();
    this.logger.log({ msg: 'shut down' });
  }

  /** Nest runs no shutdown hooks when start fails: close what is open so the process can exit. */
  private async closeOnFailure(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      await this.materializers.stopAll().catch(() => undefined);
      await this.closeConnections();
      throw error;
    }
  }

  private async closeConnections(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const results = await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    for (const result of results) {
      if (result.status === 'rejected') this.logger.warn({ msg: 'Kafka disconnect failed', error: String(result.reason) });
    }
    await Promise.all([this.prisma.$disconnect(), this.db.$disconnect()]);
  }
}
