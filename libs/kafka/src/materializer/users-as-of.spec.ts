import { UnprocessableRecordError } from './record-errors';
import { usersAsOfByKey, usersAsOfOf, usersCatchUpTargets } from './users-as-of';

const record = (key: string, headers: Record<string, string>, timestamp = 1_000, value: unknown = {}) => ({
  key,
  value,
  partition: 0,
  offset: 5n,
  timestamp,
  headers,
});

describe('usersAsOfOf', () => {
  it('reads the header, or falls back to the record timestamp', () => {
    expect(usersAsOfOf(record('o-1', { 'users-as-of': 'w:3,4' }))).toEqual({ kind: 'watermarks', watermarks: [3n, 4n] });
    expect(usersAsOfOf(record('o-1', {}, 1_234))).toEqual({ kind: 'timestamp', timestamp: 1_234 });
  });

  it('makes a malformed header the record’s fault (dead letter)', () => {
    expect(() => usersAsOfOf(record('o-1', { 'users-as-of': 'w:x' }))).toThrow(UnprocessableRecordError);
  });
});

describe('usersAsOfByKey', () => {
  it('takes the first record of a key and skips tombstones', () => {
    const positions = usersAsOfByKey([
      record('o-1', { 'users-as-of': 'w:1' }),
      record('o-1', { 'users-as-of': 'w:9' }),
      record('o-2', {}, 7, null),
    ]);
    expect([...positions]).toEqual([['o-1', { kind: 'watermarks', watermarks: [1n] }]]);
  });
});

describe('usersCatchUpTargets', () => {
  it('is the highest watermark of each partition', () => {
    expect(
      usersCatchUpTargets([
        { kind: 'watermarks', watermarks: [3n, 9n] },
        { kind: 'watermarks', watermarks: [5n, 2n] },
      ]),
    ).toEqual([
      { partition: 0, offset: 5n },
      { partition: 1, offset: 9n },
    ]);
  });

  it('is undefined as soon as one position is a timestamp (then the topic as it is now counts)', () => {
    expect(
      usersCatchUpTargets([
        { kind: 'watermarks', watermarks: [3n] },
        { kind: 'timestamp', timestamp: 1 },
      ]),
    ).toBeUndefined();
  });
});
