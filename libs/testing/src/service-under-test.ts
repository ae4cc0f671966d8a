import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { withTopicPrefix, type TopicDefinition } from '@shop/contracts';
import { EventProducer, KafkajsClient, kafkaSecurityFromEnv, type Admin, type KafkaClient, type Producer } from '@shop/kafka';
import { createServiceApp, JsonLogger, type LogLevel } from '@shop/nest-platform';
import { createTestDatabase, testInfra, uniqueName, type TestDatabase } from '@shop/test-infra';

export interface ServiceUnderTestOptions<TConfig> {
  /** The service's name: its logger's field, and the stem of its test database and topic prefix. */
  readonly service: string;
  /** The service's own configuration loader (the one main.ts uses), given a test environment. */
  readonly loadConfig: (env: Readonly<Record<string, string | undefined>>) => TConfig;
  /** The service's root module for that configuration, e.g. `(config) => AppModule.forRoot(config)`. */
  readonly module: (config: TConfig) => DynamicModule | Type<unknown>;
  /**
   * Variables on top of the test environment: KAFKA_BROKERS (and the harness's KAFKA_SASL_*), DATABASE_URL (a fresh database), TOPIC_PREFIX
   * (unique), PORT=0, LOG_LEVEL, HEALTH_MAX_LAG=0 (/health is 200 only when every view is at the end),
   * ADMIN_TOKEN (a fresh one: /admin/* needs the `adminHeaders`).
   */
  readonly env?: Readonly<Record<string, string>>;
  /** The prefix of every topic and consumer group of the service (default: a unique one). */
  readonly topicPrefix?: string;
  /** false for a service without Kafka (the monolith): no broker variables and no Kafka client. Default true. */
  readonly kafka?: boolean;
  readonly logLevel?: LogLevel;
}

/** A Kafka client of the test (not of the service), to feed its topics and read what it produced. */
export interface TestKafka {
  readonly client: KafkaClient;
  readonly admin: Admin;
  /** Raw bytes (malformed records, tombstones). */
  readonly rawProducer: Producer;
  /** Schema-checked, like the services' own. */
  readonly producer: EventProducer;
}

export interface ServiceUnderTest<TConfig> {
  readonly app: INestApplication;
  readonly config: TConfig;
  /** http://127.0.0.1:<port> of the listening app. */
  readonly baseUrl: string;
  readonly topicPrefix: string;
  readonly database: TestDatabase;
  /** The service's ADMIN_TOKEN (a fresh one unless `env` set it) and the header /admin/* needs. */
  readonly adminToken: string;
  readonly adminHeaders: Readonly<Record<string, string>>;
  /** A catalogue topic under this test's prefix: the name the service uses. */
  topic<TValue>(definition: TopicDefinition<TValue>): TopicDefinition<TValue>;
  /** The test's Kafka client (throws for a service started with `kafka: false`). */
  readonly kafka: TestKafka;
  /** Closes the app (as SIGTERM would), the test's Kafka client, deletes the test's topics and drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts a service as main.ts does (createServiceApp: the hybrid Nest app with its views on the platform's
 * transport, migrations, topics, HTTP) against the harness's real broker and a fresh PostgreSQL database,
 * with a unique topic prefix, listening on a free port of 127.0.0.1. The configuration goes through the
 * service's own loadConfig, so a test starts it with the same parsing and defaults as production.
 */
export async function startServiceUnderTest<TConfig>(options: ServiceUnderTestOptions<TConfig>): Promise<ServiceUnderTest<TConfig>> {
  const withKafka = options.kafka ?? true;
  const stem = options.service.replace(/[^a-z0-9]/gi, '_').toLowerCase();
  const topicPrefix = options.topicPrefix ?? `${uniqueName(stem)}_`;
  // Its own database role, as deployed: the service's migrations and queries run without superuser rights.
  const database = await createTestDatabase(stem, { ownRole: true });
  let app: INestApplication | undefined;
  let kafka: TestKafka | undefined;
  const stop = async () => {
    await app?.close();
    if (kafka) {
      const { admin, rawProducer } = kafka;
      await rawProducer.disconnect();
      const ours = (await admin.listTopics().catch(() => [] as string[])).filter((name) => name.startsWith(topicPrefix));
      if (ours.length > 0) await admin.deleteTopics(ours).catch(() => undefined);
      await admin.disconnect();
    }
    await database.drop();
  };
  try {
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      PORT: '0',
      LOG_LEVEL: options.logLevel ?? 'warn',
      HEALTH_MAX_LAG: '0',
      ADMIN_TOKEN: randomBytes(24).toString('hex'),
      ...(withKafka ? { ...testInfra().kafkaEnv, TOPIC_PREFIX: topicPrefix } : {}),
      ...options.env,
    };
    const config = options.loadConfig(env);
    app = await createServiceApp(options.module(config), {
      logger: new JsonLogger({ service: options.service, level: options.logLevel ?? 'warn' }),
    });
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    if (withKafka) {
      const client = new KafkajsClient({
        clientId: uniqueName(`${stem}_test`),
        brokers: testInfra().kafkaBrokers,
        security: kafkaSecurityFromEnv(),
      });
      const [admin, rawProducer] = await Promise.all([client.admin(), client.producer()]);
      kafka = { client, admin, rawProducer, producer: new EventProducer(rawProducer) };
    }
    const started = app;
    return {
      app: started,
      config,
      baseUrl,
      topicPrefix,
      database,
      adminToken: env['ADMIN_TOKEN'] ?? '',
      adminHeaders: { authorization: `Bearer ${env['ADMIN_TOKEN'] ?? ''}` },
      topic: (definition) => withTopicPrefix(definition, topicPrefix),
      get kafka(): TestKafka {
        if (!kafka) throw new Error(`${options.service} was started with kafka: false`);
        return kafka;
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
