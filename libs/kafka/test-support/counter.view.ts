import { z } from 'zod';
import type { TopicDefinition } from '@shop/contracts';
import type { MaterializedView, SqlExecutor, ViewRecord } from '../src';

/** A test-only topic: every record adds `amount` to its key's running sum and 1 to its count. */
export const counterEventSchema = z.object({ amount: z.number().int() });
export type CounterEvent = z.infer<typeof counterEventSchema>;

export function counterTopic(name: string, partitions = 3): TopicDefinition<CounterEvent> {
  return {
    name,
    description: 'test counter events',
    key: 'counter key',
    kind: 'events',
    value: counterEventSchema,
    versions: [{ type: 'Counter', version: 1, schema: counterEventSchema }],
    writer: 'tests',
    partitions,
    config: { 'cleanup.policy': 'delete' },
  };
}

/**
 * A deliberately NON-idempotent view: applying an event twice counts it twice. Only the materializer's
 * offsets-in-the-same-transaction keep it exact across crashes.
 */
export function counterView(name: string, topic: TopicDefinition<CounterEvent>): MaterializedView<CounterEvent> {
  return {
    name,
    topic,
    async apply(tx: SqlExecutor, records: readonly ViewRecord<CounterEvent>[]) {
      const events = records.filter((r): r is ViewRecord<CounterEvent> & { value: CounterEvent } => r.value !== null);
      await tx.$executeRawUnsafe(
        `INSERT INTO test_counters (key, count, sum)
         SELECT key, count(*), sum(amount) FROM unnest($1::text[], $2::bigint[]) AS e(key, amount) GROUP BY key
         ON CONFLICT (key) DO UPDATE SET count = test_counters.count + EXCLUDED.count, sum = test_counters.sum + EXCLUDED.sum`,
        events.map((e) => e.key),
        events.map((e) => String(e.value.amount)),
      );
    },
    async reset(tx: SqlExecutor) {
      await tx.$executeRawUnsafe('TRUNCATE test_counters');
    },
  };
}
