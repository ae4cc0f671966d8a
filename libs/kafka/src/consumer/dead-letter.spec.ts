import type { IncomingRecord } from '../client/kafka-client.port';
import { DeadLetterHeaders, isLetterOf, readDeadLetter, toDeadLetterRecord } from './dead-letter';

describe('toDeadLetterRecord', () => {
  it('keeps the original bytes and headers and adds the error and origin', () => {
    const value = Buffer.from('{broken');
    const out = toDeadLetterRecord(
      {
        record: {
          topic: 'orders',
          partition: 2,
          offset: 41n,
          key: Buffer.from('order-7'),
          value,
          headers: { traceparent: '00-abc-def-01' },
          timestamp: 1_700_000_000_000,
        },
        error: new SyntaxError('Unexpected token b'),
        consumer: 'shipping',
        attempts: 3,
      },
      new Date('2026-11-25T12:00:00Z'),
    );
    expect(out.key).toBe('order-7');
    expect(out.value).toBe(value);
    expect(out.headers).toEqual({
      traceparent: '00-abc-def-01',
      [DeadLetterHeaders.errorMessage]: 'Unexpected token b',
      [DeadLetterHeaders.errorType]: 'SyntaxError',
      [DeadLetterHeaders.originalTopic]: 'orders',
      [DeadLetterHeaders.originalPartition]: '2',
      [DeadLetterHeaders.originalOffset]: '41',
      [DeadLetterHeaders.originalTimestamp]: '1700000000000',
      [DeadLetterHeaders.consumer]: 'shipping',
      [DeadLetterHeaders.attempts]: '3',
      [DeadLetterHeaders.failedAt]: '2026-11-25T12:00:00.000Z',
    });
  });
});

describe('readDeadLetter and isLetterOf', () => {
  const original: IncomingRecord = {
    topic: 'order-validations',
    partition: 2,
    offset: 41n,
    key: Buffer.from('o-7'),
    value: Buffer.from('{broken'),
    headers: { traceparent: '00-abc-def-01' },
    timestamp: 1_700_000_000_000,
  };
  /** The letter as the DLQ consumer receives it: toDeadLetterRecord's output at some DLQ position. */
  const onDlq = (consumer: string, dlqOffset: bigint, overrides: Partial<IncomingRecord> = {}): IncomingRecord => {
    const out = toDeadLetterRecord({ record: original, error: new SyntaxError('Unexpected token b'), consumer, attempts: 3 }, new Date(0));
    return {
      topic: 'order-validations.dlq',
      partition: 0,
      offset: dlqOffset,
      key: out.key === null ? null : Buffer.from(out.key),
      value: original.value,
      headers: out.headers ?? {},
      timestamp: 1_700_000_009_000,
      ...overrides,
    };
  };

  it('reads back what toDeadLetterRecord wrote, the original headers apart from the dlq.* ones', () => {
    expect(readDeadLetter(onDlq('shop.shipping.shipments', 5n))).toEqual({
      partition: 0,
      offset: 5n,
      key: 'o-7',
      consumer: 'shop.shipping.shipments',
      errorMessage: 'Unexpected token b',
      errorType: 'SyntaxError',
      attempts: 3,
      failedAt: '1970-01-01T00:00:00.000Z',
      original: { topic: 'order-validations', partition: 2, offset: 41n, timestamp: 1_700_000_000_000 },
      originalHeaders: { traceparent: '00-abc-def-01' },
    });
  });

  it('does not take a record without the headers of a letter for one (nobody can say whose it is)', () => {
    const letter = onDlq('shipping', 5n);
    const { [DeadLetterHeaders.consumer]: _consumer, ...anonymous } = letter.headers;
    expect(readDeadLetter({ ...letter, headers: anonymous })).toBeUndefined();
    expect(readDeadLetter({ ...letter, headers: { ...letter.headers, [DeadLetterHeaders.originalOffset]: 'x' } })).toBeUndefined();
    expect(readDeadLetter({ ...letter, headers: {} })).toBeUndefined();
  });

  it("keeps only this consumer's letters about this topic: a DLQ holds every consumer's letters of its topic", () => {
    const mine = readDeadLetter(onDlq('shop.shipping.shipments', 1n));
    const theirs = readDeadLetter(onDlq('shop.fraud-detection.orders', 2n));
    expect(isLetterOf(mine, 'shop.shipping.shipments', 'order-validations')).toBe(true);
    expect(isLetterOf(theirs, 'shop.shipping.shipments', 'order-validations')).toBe(false);
    // Same consumer name, other topic (a letter copied by hand to the wrong DLQ): not applied to this view.
    expect(isLetterOf(mine, 'shop.shipping.shipments', 'users')).toBe(false);
    expect(isLetterOf(undefined, 'shop.shipping.shipments', 'order-validations')).toBe(false);
  });
});
