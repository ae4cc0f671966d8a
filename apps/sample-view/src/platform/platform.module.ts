import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DeadLetterPublisher, KafkajsClient, type KafkaClient, type Producer } from '@shop/kafka';
import type { LogLevel } from '../config/config';
import { Materializers } from './materializers';
import { PlatformLifecycle } from './platform.lifecycle';
import { KAFKA_ADMIN, KAFKA_CLIENT, KAFKA_PRODUCER, PLATFORM_OPTIONS, type PlatformOptions } from './platform.tokens';
import { PrismaService } from './prisma.service';

function kafkaLogLevel(level: LogLevel): 'error' | 'warn' | 'info' | 'debug' {
  if (level === 'verbose') return 'debug';
  if (level === 'debug') return 'info';
  if (level === 'error' || level === 'fatal') return 'error';
  return 'warn';
}

/**
 * Everything a service needs to talk to Kafka and its own database: the Kafka client, admin and
 * producer, the Prisma client, the dead-letter publisher and the materializers of its views, with
 * their start/stop order (PlatformLifecycle). Global: feature modules inject these directly.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        {
          provide: KAFKA_CLIENT,
          useFactory: (): KafkaClient =>
            new KafkajsClient({ clientId: options.service, brokers: options.kafkaBrokers, logLevel: kafkaLogLevel(options.logLevel) }),
        },
        { provide: KAFKA_ADMIN, useFactory: (client: KafkaClient) => client.admin(), inject: [KAFKA_CLIENT] },
        { provide: KAFKA_PRODUCER, useFactory: (client: KafkaClient) => client.producer(), inject: [KAFKA_CLIENT] },
        { provide: DeadLetterPublisher, useFactory: (producer: Producer) => new DeadLetterPublisher(producer), inject: [KAFKA_PRODUCER] },
        PrismaService,
        Materializers,
        PlatformLifecycle,
      ],
      exports: [PLATFORM_OPTIONS, KAFKA_CLIENT, KAFKA_ADMIN, KAFKA_PRODUCER, PrismaService, Materializers],
    };
  }
}
