import { renameTopic, Topics } from '@shop/contracts';
import { uniqueName } from '@shop/test-infra';
import { provisionTopics, readRecords } from '..';
import { connectKafka } from '../../test-support/kafka-test-kit';

describe('the kafkajs adapter producer (concurrent sends, merged per topic)', () => {
  it('delivers every one of many concurrent sends on its own topic, each key in the order of its sends', async () => {
    const kit = await connectKafka(uniqueName('producer_it'));
    const a = renameTopic(Topics.orders, uniqueName('merge_a'));
    const b = renameTopic(Topics.orders, uniqueName('merge_b'));
    try {
      await provisionTopics(kit.admin, [a, b]);
      // 30 callers at once: while the first request is in flight the others wait and then go together.
      const sends = Array.from({ length: 30 }, (_, i) =>
        kit.producer.send(i % 3 === 0 ? b.name : a.name, [
          { key: `k${i % 2}`, value: `${i}:0` },
          { key: `k${i % 2}`, value: `${i}:1` },
        ]),
      );
      await Promise.all(sends);
      const onA = await readRecords(kit.client, a.name, uniqueName('read_a'), 40);
      const onB = await readRecords(kit.client, b.name, uniqueName('read_b'), 20);
      const valuesOf = (records: typeof onA, key: string) =>
        records.filter((r) => r.key?.toString() === key).map((r) => r.value?.toString() ?? '');
      const expected = (topicOf: (i: number) => boolean, key: number) =>
        Array.from({ length: 30 }, (_, i) => i)
          .filter((i) => topicOf(i) && i % 2 === key)
          .flatMap((i) => [`${i}:0`, `${i}:1`]);
      expect(valuesOf(onA, 'k0')).toEqual(expected((i) => i % 3 !== 0, 0));
      expect(valuesOf(onA, 'k1')).toEqual(expected((i) => i % 3 !== 0, 1));
      expect(valuesOf(onB, 'k0')).toEqual(expected((i) => i % 3 === 0, 0));
      expect(valuesOf(onB, 'k1')).toEqual(expected((i) => i % 3 === 0, 1));
    } finally {
      await kit.admin.deleteTopics([a.name, b.name]).catch(() => undefined);
      await kit.close();
    }
  });

  it('never merges past its byte budget: a record the broker refuses fails its own send only', async () => {
    const kit = await connectKafka(uniqueName('producer_fail_it'));
    const topic = renameTopic(Topics.orders, uniqueName('merge_refused'));
    try {
      await provisionTopics(kit.admin, [topic]);
      // 'before' goes at once; the three others wait for it. The 2 MiB record (over the broker's 1 MiB limit)
      // is over the merge budget, so the small sends after it go together and it goes alone, refused.
      const send = (value: string | Buffer) => kit.producer.send(topic.name, [{ key: 'k', value }]);
      const outcomes = await Promise.allSettled([send('before'), send('s1'), send(Buffer.alloc(2 * 1024 * 1024, 'x')), send('s2')]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      await send('later'); // the producer serves again
      const values = (await readRecords(kit.client, topic.name, uniqueName('read'), 4)).map((r) => r.value?.toString());
      expect(values).toEqual(['before', 's1', 's2', 'later']);
    } finally {
      await kit.admin.deleteTopics([topic.name]).catch(() => undefined);
      await kit.close();
    }
  });
});
