import type { IncomingRecord, KafkaClient } from '../client/kafka-client.port';

/**
 * Reads the first `count` records of `topic` (from the beginning, in a fresh consumer group) through the
 * adapter's consumer. Resolves as soon as they are there; throws if they are not within `timeoutMs`.
 */
export async function readRecords(
  client: KafkaClient,
  topic: string,
  groupId: string,
  count: number,
  timeoutMs = 30_000,
): Promise<IncomingRecord[]> {
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
  if (seen.length < count) throw new Error(`expected ${count} records on ${topic}, saw ${seen.length} within ${timeoutMs} ms`);
  return seen;
}
