import { createPgAdapter } from '@shop/db';
import { testInfra } from '@shop/test-infra';
import { KafkajsClient, kafkaSecurityFromEnv, type Admin, type Producer } from '../src';
import { PrismaClient } from './src/generated/prisma/client';

/** A Kafka client, admin and producer on the harness's broker (as its admin principal, if it asks for one), closed together. */
export async function connectKafka(clientId: string) {
  const client = new KafkajsClient({ clientId, brokers: testInfra().kafkaBrokers, security: kafkaSecurityFromEnv() });
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
