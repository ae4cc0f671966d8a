import { toDeadLetterRecord, type IncomingRecord } from '@shop/kafka';
import type { DeadLetterReplayBody } from '../admin/dead-letters.api';
import { formatListing, formatReplay, formatShown, listItemOf, shownOf, valueOf } from './dlq-format';

/** A dead letter as the platform writes it (toDeadLetterRecord), then read back from `<topic>.dlq`. */
function letterOnDlq(value: Buffer | null, at = { partition: 1, offset: 7n }): IncomingRecord {
  const written = toDeadLetterRecord(
    {
      record: {
        topic: 't_order-validations',
        partition: 2,
        offset: 41n,
        key: Buffer.from('o-atl'),
        value,
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
        timestamp: Date.parse('2026-11-25T13:00:00.000Z'),
      },
      error: Object.assign(new Error('new row for relation "shipments" violates check constraint\n"test_no_atlantis"'), {
        name: 'DriverAdapterError',
      }),
      consumer: 't_shipping.shipments',
      attempts: 1,
    },
    new Date('2026-12-02T08:00:00.000Z'),
  );
  return {
    topic: 't_order-validations.dlq',
    ...at,
    key: written.key === null ? null : Buffer.from(written.key),
    value,
    headers: written.headers ?? {},
    timestamp: Date.parse('2026-12-02T08:00:00.001Z'),
  };
}

const verdict = { id: 'o-atl:verdict', type: 'OrderValidated', payload: { orderId: 'o-atl' } };

describe('a dead letter from its headers', () => {
  it('lists where it is, where it came from, who rejected it and why', () => {
    const item = listItemOf(letterOnDlq(Buffer.from(JSON.stringify(verdict))));
    expect(item).toEqual({
      partition: 1,
      offset: '7',
      key: 'o-atl',
      consumer: 't_shipping.shipments',
      error: { type: 'DriverAdapterError', message: 'new row for relation "shipments" violates check constraint\n"test_no_atlantis"' },
      attempts: 1,
      failedAt: '2026-12-02T08:00:00.000Z',
      original: { topic: 't_order-validations', partition: 2, offset: '41', timestamp: Date.parse('2026-11-25T13:00:00.000Z') },
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(formatListing({ topic: 't_order-validations.dlq', total: 3, foreign: 1, items: [item] })).toBe(
      [
        "t_order-validations.dlq: 3 dead letters (the first 1 shown; --limit for more), 1 without the platform's dlq.* headers",
        '1:7  key "o-atl"  from t_order-validations 2:41  rejected by t_shipping.shipments  at 2026-12-02T08:00:00.000Z (attempts 1)',
        '    DriverAdapterError: new row for relation "shipments" violates check constraint "test_no_atlantis"',
      ].join('\n'),
    );
    expect(formatListing({ topic: 'orders.dlq', total: 0, foreign: 0, items: [] }, 'shipping.shipments')).toBe(
      'orders.dlq: no dead letters of shipping.shipments',
    );
  });

  it("marks a record without the platform's headers instead of guessing", () => {
    const record: IncomingRecord = { ...letterOnDlq(null), headers: { other: 'tool' } };
    const item = listItemOf(record);
    expect(item).toMatchObject({ consumer: null, error: null, original: null, headers: { other: 'tool' } });
    expect(formatListing({ topic: 'x.dlq', total: 1, foreign: 1, items: [item] })).toContain(
      '1:7  key "o-atl"  (no dlq.* headers: not a dead letter of the platform)',
    );
  });

  it('shows one letter with every header and its value, pretty when it is JSON', () => {
    const shown = shownOf(letterOnDlq(Buffer.from(JSON.stringify(verdict))));
    expect(shown.headers).toMatchObject({
      'dlq.consumer': 't_shipping.shipments',
      'dlq.original.offset': '41',
      traceparent: expect.any(String),
    });
    expect(shown.value).toEqual({ encoding: 'json', bytes: JSON.stringify(verdict).length, json: verdict });
    const text = formatShown(shown);
    expect(text).toContain('t_order-validations.dlq 1:7\n  key          "o-atl"\n  rejected by  t_shipping.shipments\n');
    expect(text).toContain('  original     t_order-validations 2:41, written 2026-11-25T13:00:00.000Z\n');
    expect(text).toContain('headers (10):\n  dlq.attempts: 1\n  dlq.consumer: t_shipping.shipments\n');
    // A multi-line error stays under its label.
    expect(text).toContain(
      '  error        DriverAdapterError: new row for relation "shipments" violates check constraint\n               "test_no_atlantis"\n',
    );
    expect(text).toContain('  dlq.error.message: new row for relation "shipments" violates check constraint\n    "test_no_atlantis"\n');
    expect(text).toContain(`value (JSON, ${JSON.stringify(verdict).length} bytes):\n${JSON.stringify(verdict, null, 2)}`);
  });

  it('shows a value that is not JSON as text, bytes by their length, a tombstone as null', () => {
    expect(valueOf(Buffer.from('{not json'))).toEqual({ encoding: 'text', bytes: 9, text: '{not json' });
    expect(valueOf(Buffer.from([0xff, 0x00, 0x01]))).toEqual({ encoding: 'binary', bytes: 3, base64: '/wAB' });
    expect(valueOf(null)).toEqual({ encoding: 'null' });
    expect(formatShown(shownOf(letterOnDlq(Buffer.from([0xff, 0x00, 0x01]))))).toContain(
      'value: 3 bytes, not UTF-8 text (--json gives them as base64)',
    );
    expect(formatShown(shownOf(letterOnDlq(Buffer.from('{not json'))))).toContain('value (text, not JSON, 9 bytes):\n{not json');
    expect(formatShown(shownOf(letterOnDlq(null)))).toContain('value: null (a tombstone)');
  });
});

describe('a replay report', () => {
  const body: DeadLetterReplayBody = {
    view: 'shipments',
    topic: 't_order-validations.dlq',
    applied: 1,
    stillFailing: 2,
    otherConsumers: 1,
    alreadyReplayed: 0,
    complete: true,
    failures: [
      { partition: 0, offset: '3', key: 'o-4', original: { partition: 1, offset: '12' }, error: 'value is not JSON' },
      { partition: 0, offset: '4', key: null, original: { partition: 1, offset: '13' }, error: 'does not match its schema' },
    ],
  };

  it('prints the counts and the letters that still fail', () => {
    expect(formatReplay('shipping', body)).toBe(
      [
        'shipping: view shipments, dead letters of t_order-validations.dlq',
        '  applied           1',
        '  still failing     2 (left on the DLQ; a later replay does not try them again)',
        '  already replayed  0',
        '  other consumers   1 (their letters, passed over)',
        'still failing:',
        '  0:3  key "o-4"  (original 1:12)  value is not JSON',
        '  0:4  (null key)  (original 1:13)  does not match its schema',
      ].join('\n'),
    );
  });

  it('says when the replay stopped early', () => {
    expect(formatReplay('shipping', { ...body, stillFailing: 0, failures: [], complete: false })).toMatch(
      /incomplete: the service began stopping; replay again to resume where it stopped$/,
    );
  });
});
