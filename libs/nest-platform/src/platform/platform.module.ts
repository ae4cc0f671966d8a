import { Global, Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { createPgDatabase, PgDatabase } from '@shop/db';
import { DeadLetterPublisher, EventProducer, KafkajsClient, type KafkaClient, type Producer } from '@shop/kafka';
import { AdminController } from '../admin/admin.controller';
import type { LogLevel } from '../config/env';
import { HealthController } from '../health/health.controller';
import { METRICS_REGISTRY } from '../metrics/http-metrics.hook';
import { MetricsController } from '../metrics/metrics.controller';
import { createMetricsRegistry, registerViewMetrics } from '../metrics/view-metrics';
import { ViewTransport } from '../transport/view.transport';
import { Materializers } from './materializers';
import { PlatformLifecycle } from './platform.lifecycle';
import {
  KAFKA_ADMIN,
  KAFKA_CLIENT,
  KAFKA_PRODUCER,
  PLATFORM_OPTIONS,
  PRISMA_CLIENT,
  type PlatformOptions,
  type PrismaClientLike,
} from './platform.tokens';

export function kafkaLogLevel(level: LogLevel): 'error' | 'warn' | 'info' | 'debug' {
  if (level === 'verbose') return 'debug';
  if (level === 'debug') return 'info';
  if (level === 'error' || level === 'fatal') return 'error';
  return 'warn';
}

/**
 * Everything a service needs to talk to Kafka and its own database: the Kafka client, admin and
 * producer (raw and as EventProducer), the Prisma client, the node-postgres pool of its views (PgDatabase),
 * the dead-letter publisher and the materializers of its views with the ViewTransport that runs them (a Nest custom transport strategy), their start/stop
 * order (PlatformLifecycle), plus GET /health and the admin rebuild
 * endpoints and GET /metrics (Prometheus; createServiceApp adds the HTTP duration histogram). Global: feature modules inject these directly.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const prismaAlias: Provider[] = options.prismaToken ? [{ provide: options.prismaToken, useExisting: PRISMA_CLIENT }] : [];
    return {
      module: PlatformModule,
      controllers: options.httpEndpoints === false ? [] : [HealthController, AdminController, MetricsController],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        {
          provide: KAFKA_CLIENT,
          useFactory: (): KafkaClient =>
            new KafkajsClient({
              clientId: options.service,
              brokers: options.kafkaBrokers,
              logLevel: kafkaLogLevel(options.logLevel),
              ...(options.kafkaSecurity ? { security: options.kafkaSecurity } : {}),
            }),
        },
        { provide: KAFKA_ADMIN, useFactory: (client: KafkaClient) => client.admin(), inject: [KAFKA_CLIENT] },
        { provide: KAFKA_PRODUCER, useFactory: (client: KafkaClient) => client.producer(), inject: [KAFKA_CLIENT] },
        { provide: EventProducer, useFactory: (producer: Producer) => new EventProducer(producer), inject: [KAFKA_PRODUCER] },
        { provide: DeadLetterPublisher, useFactory: (producer: Producer) => new DeadLetterPublisher(producer), inject: [KAFKA_PRODUCER] },
        {
          provide: PRISMA_CLIENT,
          useFactory: (): PrismaClientLike => options.prisma(options.databaseUrl, { service: options.service }),
        },
        {
          provide: PgDatabase,
          useFactory: (): PgDatabase => {
            const logger = new Logger('Database');
            return createPgDatabase(options.databaseUrl, {
              applicationName: options.service,
              onPoolError: (error) =>
                logger.warn({ msg: 'an idle database connection failed (dropped from the pool)', error: error.message }),
            });
          },
        },
        ...prismaAlias,
        Materializers,
        {
          // One registry per app (tests run several apps in one process): default process metrics + view metrics.
          provide: METRICS_REGISTRY,
          useFactory: (materializers: Materializers) => {
            const registry = createMetricsRegistry({ service: options.service });
            registerViewMetrics(registry, { views: () => materializers.observed() });
            return registry;
          },
          inject: [Materializers],
        },
        ViewTransport,
        PlatformLifecycle,
      ],
      exports: [
        PLATFORM_OPTIONS,
        KAFKA_CLIENT,
        KAFKA_ADMIN,
        KAFKA_PRODUCER,
        EventProducer,
        DeadLetterPublisher,
        PRISMA_CLIENT,
        PgDatabase,
        ...(options.prismaToken ? [options.prismaToken] : []),
        Materializers,
        ViewTransport,
        METRICS_REGISTRY,
      ],
    };
  }
}
