import { renameTopic, Topics } from '@shop/contracts';
import { uniqueName } from '@shop/test-infra';
import { provisionTopics, type BatchControl, type PartitionBatch } from '..';
import { connectKafka } from '../../test-support/kafka-test-kit';

type Kit = Awaited<ReturnType<typeof connectKafka>>;

/**
 * One partition, ten records on it, a consumer whose first batch produces ten more and waits until the adapter has
 * fetched them behind it (the fetch ahead), then does `onFirst`. Resolves with the offsets of every batch handed
 * over, once offset 19 was. Without `fetchAhead` the first batch is the only one (ten records in all, until offset 9).
 */
async function consumeWithFetchAhead(
  kit: Kit,
  name: string,
  onFirst: (control: BatchControl) => void,
  { fetchAhead = true } = {},
): Promise<bigint[][]> {
  const topic = { ...renameTopic(Topics.orders, uniqueName(name)), partitions: 1 };
  await provisionTopics(kit.admin, [topic]);
  const produce = (from: number) =>
    kit.producer.send(
      topic.name,
      Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: String(from + i) })),
    );
  await produce(0);
  const handed: bigint[][] = [];
  let fetchedAhead: () => void = () => undefined;
  const aheadFetched = new Promise<void>((resolve) => (fetchedAhead = resolve));
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const consumer = kit.client.batchConsumer();
  try {
    await consumer.start({
      groupId: uniqueName(`${name}_group`),
      topics: [topic.name],
      // Nothing returned: the partition starts at its earliest offset, with no seek of the assignment's.
      onAssigned: async () => [],
      onFetched: (fetched) => {
        if (fetched.firstOffset >= 10n) fetchedAhead();
      },
      eachBatch: async (batch: PartitionBatch, control) => {
        const offsets = batch.records.map((r) => r.offset);
        handed.push(offsets);
        if (handed.length === 1) {
          if (fetchAhead) {
            await produce(10);
            await aheadFetched;
          }
          onFirst(control);
        }
        if (offsets.includes(fetchAhead ? 19n : 9n)) finish();
      },
    });
    await finished;
  } finally {
    await consumer.stop();
    await kit.admin.deleteTopics([topic.name]).catch(() => undefined);
  }
  return handed;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));

describe('the kafkajs adapter batch consumer (a partition is fetched one batch ahead)', () => {
  // A kit per test: kafkajs' producer keeps asking for the metadata of a topic it wrote to, after that topic is deleted.
  let kit: Kit;
  beforeEach(async () => {
    kit = await connectKafka(uniqueName('batch_consumer_it'));
  });
  afterEach(() => kit.close());

  it('fetches the next batch while one is handled, and a seek drops it: what follows the seek is handed over next', async () => {
    const handed = await consumeWithFetchAhead(kit, 'fetch_ahead_seek', (control) => control.seek(5n));
    expect(handed[0]).toEqual(range(0, 9));
    // Offsets 10… were fetched behind the first batch; after the seek the partition goes on from 5, not from 10.
    expect(handed.slice(1).flat()).toEqual(range(5, 19));
  });

  it('hands a batch whose handler threw over again, and nothing fetched behind it before that', async () => {
    const handed = await consumeWithFetchAhead(kit, 'fetch_ahead_throw', () => {
      throw new Error('the handler failed');
    });
    expect(handed[0]).toEqual(range(0, 9));
    expect(handed.slice(1).flat()).toEqual(range(0, 19));
  });

  it('hands a batch whose handler threw over again when nothing was fetched behind it', async () => {
    const handed = await consumeWithFetchAhead(
      kit,
      'throw_alone',
      () => {
        throw new Error('the handler failed');
      },
      { fetchAhead: false },
    );
    expect(handed).toEqual([range(0, 9), range(0, 9)]);
  });
});
