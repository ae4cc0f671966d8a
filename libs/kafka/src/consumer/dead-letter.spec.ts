import { DeadLetterHeaders, toDeadLetterRecord } from './dead-letter';

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
