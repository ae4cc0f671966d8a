import type { DeadLetterPage, DeadLetterReplayReport } from '@shop/kafka';
import { DeadLetterPageModel, DeadLetterReplayModel, deadLetterPageBody, deadLetterReplayBody } from './dead-letters.api';

describe('dead-letter API bodies', () => {
  it('turns a page of letters into its documented body (offsets as decimal strings)', () => {
    const page: DeadLetterPage = {
      total: 3,
      pending: 1,
      limit: 1,
      offset: 0,
      items: [
        {
          partition: 1,
          offset: 12n,
          key: 'o-9',
          consumer: 't_shipping.shipments',
          errorMessage: 'new row violates check constraint',
          errorType: 'DriverAdapterError',
          attempts: 1,
          failedAt: '2026-12-02T01:00:00.000Z',
          original: { topic: 't_order-validations', partition: 0, offset: 9_007_199_254_740_993n, timestamp: 1_764_637_200_000 },
          originalHeaders: { traceparent: '00-abc-def-01' },
          value: '{"id":"o-9:verdict"}',
          pending: true,
        },
      ],
    };
    const body = deadLetterPageBody(page);
    expect(body.items[0]).toMatchObject({
      offset: '12',
      error: { type: 'DriverAdapterError', message: 'new row violates check constraint' },
      original: { topic: 't_order-validations', partition: 0, offset: '9007199254740993' },
      headers: { traceparent: '00-abc-def-01' },
      pending: true,
    });
    expect(DeadLetterPageModel.schema.parse(body)).toEqual(body);
  });

  it('turns a replay report into its documented body', () => {
    const report: DeadLetterReplayReport = {
      view: 'shipments',
      topic: 't_order-validations.dlq',
      applied: 1,
      stillFailing: 1,
      otherConsumers: 2,
      alreadyReplayed: 0,
      complete: true,
      failures: [{ partition: 0, offset: 3n, key: 'o-4', originalPartition: 1, originalOffset: 17n, error: 'record is not JSON' }],
    };
    const body = deadLetterReplayBody(report);
    expect(body.failures).toEqual([
      { partition: 0, offset: '3', key: 'o-4', original: { partition: 1, offset: '17' }, error: 'record is not JSON' },
    ]);
    expect(DeadLetterReplayModel.schema.parse(body)).toEqual(body);
  });
});
