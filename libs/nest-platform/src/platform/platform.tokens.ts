import type { InjectionToken } from '@nestjs/common';
import type { TopicDefinition } from '@shop/contracts';
import type { KafkaSecurity, MaterializedView, TransactionalDatabase } from '@shop/kafka';
import type { LogLevel } from '../config/env';

/** Injection tokens for what has no class of its own (ports of @shop/kafka are interfaces). */
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
/** The service's Prisma client, as made by `PlatformOptions.prisma` (typed PrismaClientLike), for its repositories. */
export const PRISMA_CLIENT = Symbol('PRISMA_CLIENT');
/**
 * What the platform's views need from a database: raw SQL, interactive transactions and $disconnect. The
 * platform provides @shop/db's PgDatabase (node-postgres, its own pool) under its class: the view transactions,
 * rebuilds, dead-letter replays and the health probe run on it, because a Prisma interactive transaction costs
 * about four times the CPU; a repository injects it too for a set-based statement on a hot path.
 */
export type PlatformDatabase = TransactionalDatabase & { $disconnect(): Promise<void> };

/** What the platform needs from the service's generated Prisma client (which it cannot import): closing it at shutdown. */
export type PrismaClientLike = { $disconnect(): Promise<void> };

export interface PrismaFactoryContext {
  /** The service name: pass it as pg's application_name. */
  readonly service: string;
}

/** Builds the service's Prisma client, e.g. `(url, { service }) => new PrismaService(url, service)`. */
export type PrismaFactory = (databaseUrl: string, context: PrismaFactoryContext) => PrismaClientLike;

export interface PlatformOptions {
  /** Service name: Kafka client id, consumer-group prefix, pg application_name, log field. */
  readonly service: string;
  readonly kafkaBrokers: readonly string[];
  /** SASL credentials and TLS for the brokers (serviceConfig reads them); default: neither. */
  readonly kafkaSecurity?: KafkaSecurity;
  readonly databaseUrl: string;
  /** Prepended to every topic and consumer group (tests, namespaced environments). */
  readonly topicPrefix: string;
  readonly logLevel: LogLevel;
  /** The service's committed Prisma migrations, applied at start. */
  readonly migrationsDir: string;
  /** Makes the service's generated Prisma client; provided under PRISMA_CLIENT (and `prismaToken`). */
  readonly prisma: PrismaFactory;
  /**
   * Also provide the Prisma client under this token, e.g. the service's own `PrismaService` class, so
   * repositories inject the generated, fully typed client by class. Optional.
   */
  readonly prismaToken?: InjectionToken;
  /**
   * Views that need no handler of the service (a changelog table such as `usersTableView`), their topics
   * already prefixed. Every other view is a @ViewHandler method of a controller. Both run on the ViewTransport.
   */
  readonly views?: readonly MaterializedView<unknown>[];
  /** Topics the service writes outside its view handlers (the front door), provisioned at start. */
  readonly produces?: readonly TopicDefinition[];
  /** How long a chunk of a view with `joins` waits for the joined views to catch up (JOIN_CATCH_UP_MS). */
  readonly joinCatchUpMs: number;
  /** /health is 200 while every view trails its topic by at most this many records. */
  readonly healthMaxLag: number;
  /** Bearer token of /admin/* (ADMIN_TOKEN); undefined: those endpoints answer 401. */
  readonly adminToken?: string;
  /** Registers GET /health and POST /admin/rebuild, /admin/views/:name/rebuild (default true). */
  readonly httpEndpoints?: boolean;
  /** A view's consumer died for good (after the client's own retries). bootstrapService exits; default: only logged and reported by /health. */
  readonly onFatal?: (error: Error) => void;
}
