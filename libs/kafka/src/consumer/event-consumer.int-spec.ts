import { renameTopic, Topics, type OrderPlacedEvent } from '@shop/contracts';
import { uniqueName, waitUntil } from '@shop/test-infra';
import { DeadLetterHeaders, DeadLetterPublisher, EventConsumer, EventProducer, provisionTopics, readRecords } from '..';
import { connectKafka } from '../../test-support/kafka-test-kit';

const order = (orderId: string): OrderPlacedEvent => ({
  id: `${orderId}:placed`,
  type: 'OrderPlaced',
  version: 2,
  occurredAt: '2026-11-25T10:00:00.000Z',
  source: 'tests',
  correlationId: orderId,
  causationId: null,
  payload: {
    orderId,
    userId: 'u-1',
    lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: 999 }],
    currency: 'EUR',
    totalCents: 999,
    shippingAddress: null,
    placedAt: '2026-11-25T10:00:00.000Z',
  },
});

describe('EventConsumer against a real broker', () => {
  it('retries a failing handler a bounded number of times, dead-letters the record and moves on', async () => {
    const kit = await connectKafka(uniqueName('event_consumer_it'));
    const topic = renameTopic(Topics.orders, uniqueName('orders'));
    const groupId = uniqueName('group');
    try {
      await provisionTopics(kit.admin, [topic]);
      // One key → one partition, so order of handling is the order written.
      await kit.producer.send(topic.name, [
        { key: 'k', value: JSON.stringify(order('o-1')) },
        { key: 'k', value: '{"type":"OrderPlaced"' },
        { key: 'k', value: JSON.stringify(order('o-poison')) },
        { key: 'k', value: JSON.stringify(order('o-2')) },
      ]);

      const handled: string[] = [];
      const attempts = new Map<string, number>();
      const consumer = new EventConsumer(kit.client, new DeadLetterPublisher(kit.producer), {
        groupId,
        topic,
        retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 5 },
        handler: async (event) => {
          if (event.kind !== 'value') throw new Error('orders carry no tombstones');
          const id = event.value.payload.orderId;
          attempts.set(id, (attempts.get(id) ?? 0) + 1);
          if (id === 'o-poison') throw new Error('inventory service says no');
          handled.push(id);
        },
      });
      await consumer.start();
      await waitUntil(() => handled.includes('o-2'), { timeoutMs: 30_000, description: 'o-2 handled after the bad records' });
      await consumer.stop();

      expect(handled).toEqual(['o-1', 'o-2']);
      expect(attempts.get('o-poison')).toBe(3);

      const letters = await readRecords(kit.client, `${topic.name}.dlq`, uniqueName('dlq_reader'), 2);
      expect(letters.map((l) => l.headers[DeadLetterHeaders.errorMessage])).toEqual([
        expect.stringMatching(/is not JSON/),
        'inventory service says no',
      ]);
      expect(letters.map((l) => l.headers[DeadLetterHeaders.attempts])).toEqual(['1', '3']);
      expect(letters.map((l) => l.headers[DeadLetterHeaders.originalOffset])).toEqual(['1', '2']);

      // Offsets were committed (offset + 1): a restarted member of the same group sees only new records.
      await new EventProducer(kit.producer).send(topic, [{ key: 'k', value: order('o-3') }]);
      const again = new EventConsumer(kit.client, new DeadLetterPublisher(kit.producer), {
        groupId,
        topic,
        handler: async (event) => {
          if (event.kind === 'value') handled.push(event.value.payload.orderId);
        },
      });
      await again.start();
      await waitUntil(() => handled.includes('o-3'), { timeoutMs: 30_000, description: 'o-3 handled after restart' });
      await again.stop();
      expect(handled).toEqual(['o-1', 'o-2', 'o-3']);
    } finally {
      await kit.close();
    }
  });
});
