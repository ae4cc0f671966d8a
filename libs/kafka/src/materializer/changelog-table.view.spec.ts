import { latestPerKey } from './changelog-table.view';
import type { ViewRecord } from './materializer';

const record = (key: string, value: string | null, offset: number): ViewRecord<string> => ({
  key,
  value,
  offset: BigInt(offset),
  partition: 0,
  timestamp: 0,
  headers: {},
});

describe('latestPerKey', () => {
  it('keeps only the last change of each key, tombstones included', () => {
    const latest = latestPerKey([record('a', 'a1', 0), record('b', 'b1', 1), record('a', null, 2), record('b', 'b2', 3)]);
    expect(latest.map((r) => [r.key, r.value, r.offset])).toEqual([
      ['a', null, 2n],
      ['b', 'b2', 3n],
    ]);
  });
});
