/**
 * Demo stand-in for the monolith's change data capture: writes realistic user records to `users` (keyed
 * by user id, tombstone on delete, exactly the shape CDC will produce) at a gentle rate.
 *   KAFKA_BROKERS=127.0.0.1:19092 RATE=5 node -r @swc-node/register apps/sample-view/src/demo/user-feed.main.ts
 * Env: KAFKA_BROKERS, TOPIC_PREFIX, RATE (per second, default 5), SEED, MAX_EVENTS, TARGET_USERS, LOG_LEVEL.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { EventProducer, KafkajsClient, provisionTopics, type TypedRecord, kafkaSecurityFromEnv } from '@shop/kafka';
import { ConfigError, JsonLogger } from '@shop/nest-platform';
import { loadUserFeedConfig, type UserFeedConfig } from './user-feed.config';
import { UserGenerator } from './user-generator';

const TICK_MS = 100;
const SUMMARY_EVERY_MS = 10_000;

async function run(config: UserFeedConfig, logger: JsonLogger): Promise<void> {
  const log = logger.child('UserFeed');
  const topic = withTopicPrefix(Topics.users, config.topicPrefix);
  const client = new KafkajsClient({ clientId: 'user-feed', brokers: config.kafkaBrokers, security: kafkaSecurityFromEnv() });
  const admin = await client.admin();
  try {
    // The real writer (CDC) would own the topic; the stand-in makes sure it exists, like the service does.
    await provisionTopics(admin, [topic]);
  } finally {
    await admin.disconnect();
  }
  const producer = new EventProducer(await client.producer());

  let stopping = false;
  const stop = (signal: string) => {
    if (!stopping) log.log({ msg: 'stopping', signal });
    stopping = true;
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const generator = new UserGenerator({ seed: config.seed, targetPopulation: config.targetUsers });
  log.log({ msg: 'producing users', topic: topic.name, rate: config.rate, seed: config.seed, replay: `SEED=${config.seed}` });
  const counts = { create: 0, update: 0, delete: 0 };
  let sent = 0;
  const started = Date.now();
  let lastSummary = started;
  try {
    while (!stopping && (config.maxEvents === undefined || sent < config.maxEvents)) {
      // Records due by now at RATE per second; sent together so high rates cost few requests.
      const due = Math.floor(((Date.now() - started) / 1000) * config.rate) + 1 - sent;
      const batchSize = Math.min(Math.max(due, 0), (config.maxEvents ?? Infinity) - sent);
      if (batchSize > 0) {
        const now = new Date();
        const batch: TypedRecord<UserRecord>[] = [];
        for (let i = 0; i < batchSize; i++) {
          const change = generator.next(now);
          counts[change.kind] += 1;
          batch.push({ key: change.key, value: change.value });
          log.debug({ msg: change.kind, userId: change.key, detail: change.detail });
        }
        await producer.send(topic, batch);
        sent += batchSize;
      }
      if (Date.now() - lastSummary >= SUMMARY_EVERY_MS) {
        lastSummary = Date.now();
        log.log({ msg: 'progress', sent, ...counts, liveUsers: generator.population });
      }
      await sleep(TICK_MS);
    }
  } finally {
    await producer.disconnect();
    log.log({ msg: 'stopped', sent, ...counts, liveUsers: generator.population });
  }
}

async function main(): Promise<void> {
  let config: UserFeedConfig;
  try {
    config = loadUserFeedConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  await run(config, new JsonLogger({ service: 'user-feed', level: config.logLevel }));
}

main().catch((error: unknown) => {
  new JsonLogger({ service: 'user-feed' }).fatal(error instanceof Error ? error : new Error(String(error)), 'UserFeed');
  process.exit(1);
});
