import { decodeUsersAsOf, encodeUsersAsOf, watermarksAsOf } from './users-as-of';

describe('users-as-of header', () => {
  it('round-trips watermarks and timestamps', () => {
    const watermarks = { kind: 'watermarks', watermarks: [12n, 0n, 9_007_199_254_740_993n] } as const;
    expect(encodeUsersAsOf(watermarks)).toBe('w:12,0,9007199254740993');
    expect(decodeUsersAsOf(encodeUsersAsOf(watermarks))).toEqual(watermarks);
    expect(decodeUsersAsOf('t:1767225600000')).toEqual({ kind: 'timestamp', timestamp: 1_767_225_600_000 });
  });

  it('refuses anything else with the header named', () => {
    for (const bad of ['', 'w:', 'w:1,,2', 'w:-1', 't:', 't:1.5', 'x:1', 'w:1 ']) {
      expect(() => decodeUsersAsOf(bad)).toThrow(/header users-as-of/);
    }
  });

  it('orders the watermarks by partition and refuses a gap', () => {
    expect(
      watermarksAsOf([
        { partition: 1, high: 5n },
        { partition: 0, high: 7n },
      ]),
    ).toEqual({ kind: 'watermarks', watermarks: [7n, 5n] });
    expect(() => watermarksAsOf([{ partition: 1, high: 5n }])).toThrow(/partitions are not 0/);
  });
});
