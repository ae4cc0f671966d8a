import { createPgAdapter } from '@shop/db';
import { testInfra } from '@shop/testing';
import { KafkajsClient, type Admin, type IncomingRecord, type Producer } from '../src';
import { PrismaClient } from './src/generated/prisma/client';

/** A Kafka client, admin and producer on the harness's broker, closed together. */
export async function connectKafka(clientId: string) {
  const client = new KafkajsClient({ clientId, brokers: testInfra().kafkaBrokers });
  const [admin, producer]: [Admin, Producer] = await Promise.all([client.admin(), client.producer()]);
  return {
    client,
    admin,
    producer,
    close: () => Promise.all([admin.disconnect(), producer.disconnect()]).then(() => undefined),
  };
}

export function viewPrisma(url: string): PrismaClient {
  return new PrismaClient({ adapter: createPgAdapter(url) });
}

/** Reads `count` records of `topic` from the beginning through the adapter's message consumer. */
export async function readRecords(client: KafkajsClient, topic: string, groupId: string, count: number, timeoutMs = 30_000): Promise<IncomingRecord[]> {
  const consumer = client.messageConsumer();
  const seen: IncomingRecord[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.start({
    groupId,
    topics: [topic],
    fromBeginning: true,
    eachRecord: async (record) => {
      seen.push(record);
      if (seen.length >= count) done();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.stop();
  if (seen.length < count) throw new Error(`expected ${count} records on ${topic}, saw ${seen.length} in ${timeoutMs} ms`);
  return seen;
}
