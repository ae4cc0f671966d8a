import type { OrderVerdictEvent, TopicDefinition } from '@shop/contracts';
import type { EventProducer, SqlExecutor, TypedRecord, ViewRecord } from '@shop/kafka';
import { verdictsProcessor } from './verdicts.processor';

/** The processor's adapter logic without I/O: a scripted SQL executor and a recording producer. */
const address = { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' };

const verdict = (orderId: string, type: 'OrderValidated' | 'OrderRejected' = 'OrderValidated', userId = 'u-1'): OrderVerdictEvent =>
  type === 'OrderValidated'
    ? {
        id: `${orderId}:verdict`,
        type,
        version: 1,
        occurredAt: '2026-11-25T10:00:01.000Z',
        source: 'order-validation',
        correlationId: orderId,
        causationId: `${orderId}:placed`,
        payload: {
          orderId,
          userId,
          totalCents: 100,
          currency: 'EUR',
          lines: [{ productId: 'p', category: 'c', quantity: 1, unitPriceCents: 100 }],
          shippingAddress: address,
          placedAt: '2026-11-25T10:00:00.000Z',
          validatedAt: '2026-11-25T10:00:01.000Z',
        },
      }
    : {
        id: `${orderId}:verdict`,
        type,
        version: 1,
        occurredAt: '2026-11-25T10:00:01.000Z',
        source: 'order-validation',
        correlationId: orderId,
        causationId: `${orderId}:placed`,
        payload: { orderId, userId, reasons: [{ code: 'unknown-user', message: 'y' }], placedAt: '2026-11-25T10:00:00.000Z', rejectedAt: '2026-11-25T10:00:01.000Z' },
      };

const records = (...verdicts: OrderVerdictEvent[]): ViewRecord<OrderVerdictEvent>[] =>
  verdicts.map((value, i) => ({ key: value.payload.orderId, value, partition: 0, offset: BigInt(i), timestamp: 0, headers: {} }));

function harness(options: { alreadyShipped?: string[]; catchUp?: () => Promise<void> } = {}) {
  const calls: string[] = [];
  const sent: { topic: string; records: readonly TypedRecord<unknown>[] }[] = [];
  const shipped = new Set(options.alreadyShipped ?? []);
  const tx: SqlExecutor = {
    $executeRawUnsafe: async (sql: string) => {
      calls.push(sql.trim().split(/\s+/).slice(0, 2).join(' '));
      return 0;
    },
    $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]): Promise<T> => {
      if (sql.includes('FROM users_view')) {
        calls.push('select users');
        return [{ id: 'u-1', name: 'Ada', email: 'ada@example.com' }] as T;
      }
      calls.push('insert shipments');
      const orderIds = values[0] as string[];
      const fresh = orderIds.filter((id) => !shipped.has(id));
      for (const id of fresh) shipped.add(id);
      return fresh.map((order_id) => ({ order_id })) as T;
    },
  };
  const producer = {
    send: async (topic: TopicDefinition<unknown>, out: readonly TypedRecord<unknown>[]) => {
      calls.push('produce');
      sent.push({ topic: topic.name, records: out });
    },
  } as unknown as EventProducer;
  const view = verdictsProcessor({
    topicPrefix: 't_',
    producer,
    catchUpUsers: async () => {
      calls.push('catch up users');
      await options.catchUp?.();
    },
  });
  return { view, tx, calls, sent };
}

describe('verdictsProcessor', () => {
  it('consumes the prefixed order-validations topic as the "shipments" view', () => {
    const { view } = harness();
    expect(view.name).toBe('shipments');
    expect(view.topic.name).toBe('t_order-validations');
  });

  it('catches up with users, joins, inserts, then produces ShipmentCreated for the new rows only', async () => {
    const { view, tx, calls, sent } = harness({ alreadyShipped: ['o-0'] });
    await view.apply(tx, records(verdict('o-0'), verdict('o-1'), verdict('o-2', 'OrderRejected'), verdict('o-1')));
    expect(calls).toEqual(['catch up users', 'select users', 'insert shipments', 'produce']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.topic).toBe('t_shipments');
    expect(sent[0]?.records.map((r) => r.key)).toEqual(['o-1']);
    expect(sent[0]?.records[0]?.value).toMatchObject({ id: 'o-1:shipment', causationId: 'o-1:verdict', payload: { shipmentId: 'shp-o-1' } });
  });

  it('produces nothing when every verdict was already applied (redelivery)', async () => {
    const { view, tx, calls, sent } = harness({ alreadyShipped: ['o-1'] });
    await view.apply(tx, records(verdict('o-1')));
    expect(calls).toEqual(['catch up users', 'select users', 'insert shipments']);
    expect(sent).toEqual([]);
  });

  it('neither waits nor writes for a chunk of rejections', async () => {
    const { view, tx, calls } = harness();
    await view.apply(tx, records(verdict('o-1', 'OrderRejected'), verdict('o-2', 'OrderRejected')));
    expect(calls).toEqual([]);
  });

  it('fails the chunk (to be retried) when the users view does not catch up in time', async () => {
    const { view, tx, calls, sent } = harness({
      catchUp: () => Promise.reject(new Error('view users did not catch up')),
    });
    await expect(view.apply(tx, records(verdict('o-1')))).rejects.toThrow('view users did not catch up');
    expect(calls).toEqual(['catch up users']);
    expect(sent).toHaveLength(0);
  });

  it('empties the shipments table on reset', async () => {
    const { view, tx, calls } = harness();
    await view.reset(tx);
    expect(calls).toEqual(['TRUNCATE shipments']);
  });
});
