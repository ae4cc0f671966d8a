import type { TopicDefinition } from '@shop/contracts';
import type { MaterializedView } from '@shop/kafka';
import type { LogLevel } from '../config/config';

/** Injection tokens for what has no class of its own (ports of @shop/kafka are interfaces). */
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

export interface PlatformOptions {
  /** Service name: Kafka client id, consumer-group prefix, pg application_name, log field. */
  readonly service: string;
  readonly kafkaBrokers: readonly string[];
  readonly databaseUrl: string;
  /** Prepended to every topic and consumer group (tests, namespaced environments). */
  readonly topicPrefix: string;
  readonly logLevel: LogLevel;
  /** The service's committed Prisma migrations, applied at start. */
  readonly migrationsDir: string;
  /** The views this service materializes (their topics already carry the prefix). */
  readonly views: readonly MaterializedView<unknown>[];
  /** Topics the service writes to, provisioned at start besides the views' topics. */
  readonly produces?: readonly TopicDefinition[];
  /** /health is 200 while every view trails its topic by at most this many records. */
  readonly healthMaxLag: number;
  /** A view's consumer died for good (after the client's own retries). main.ts exits; default: only logged and reported by /health. */
  readonly onFatal?: (error: Error) => void;
}
