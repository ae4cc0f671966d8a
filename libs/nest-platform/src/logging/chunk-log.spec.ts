import { chunkLogFields } from './chunk-log';

describe('chunkLogFields', () => {
  it('names the one key (after the topic key) and its trace', () => {
    expect(chunkLogFields([{ key: 'o-1', traceId: 't1' }], 'orderId')).toEqual({ count: 1, orderId: 'o-1', traceId: 't1' });
  });

  it('lists distinct ids of a larger chunk, capped', () => {
    expect(chunkLogFields([{ key: 'o-1', traceId: 't1' }, { key: 'o-2', traceId: 't2' }, { key: 'o-3' }], 'orderId')).toEqual({
      count: 3,
      orderIds: ['o-1', 'o-2', 'o-3'],
      traceIds: ['t1', 't2'],
    });
    const many = Array.from({ length: 5 }, (_, i) => ({ key: `o-${i}`, traceId: 't' }));
    expect(chunkLogFields(many, 'orderId', 2)).toEqual({ count: 5, orderIds: ['o-0', 'o-1'], traceId: 't', truncated: true });
  });
});
