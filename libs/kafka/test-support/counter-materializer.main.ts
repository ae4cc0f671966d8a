/**
 * A separate process that materializes a counter topic, so a test can SIGKILL it mid-stream.
 * Env: KAFKA_BROKERS, VIEW_DATABASE_URL, COUNTER_TOPIC, VIEW_NAME, CHUNK (records per transaction).
 */
import { createPgAdapter } from '@shop/db';
import { DeadLetterPublisher, KafkajsClient, Materializer, kafkaSecurityFromEnv } from '../src';
import { PrismaClient } from './src/generated/prisma/client';
import { counterTopic, counterView } from './counter.view';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const client = new KafkajsClient({
    clientId: 'counter-materializer',
    brokers: required('KAFKA_BROKERS').split(','),
    security: kafkaSecurityFromEnv(),
  });
  const prisma = new PrismaClient({ adapter: createPgAdapter(required('VIEW_DATABASE_URL')) });
  const [admin, producer] = await Promise.all([client.admin(), client.producer()]);
  const topic = counterTopic(required('COUNTER_TOPIC'));
  const materializer = new Materializer(
    client,
    prisma,
    admin,
    new DeadLetterPublisher(producer),
    counterView(required('VIEW_NAME'), topic),
    {
      maxRecordsPerTransaction: Number(process.env['CHUNK'] ?? '500'),
      // The broker's minimum: a killed predecessor stops holding its partitions after 6 s, not 30 s.
      sessionTimeoutMs: 6000,
      onCrash: (error) => {
        process.stderr.write(`materializer crashed: ${error.message}\n`);
        process.exit(1);
      },
    },
  );
  await materializer.start();
  process.stdout.write('started\n');
  const shutdown = async () => {
    await materializer.stop();
    await Promise.all([admin.disconnect(), producer.disconnect(), prisma.$disconnect()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
