import { userRecordSchema } from '@shop/contracts';
import { cdcTimestamp, UserGenerator, type UserChange } from './user-generator';

function run(seed: number, count: number): UserChange[] {
  const generator = new UserGenerator({ seed, targetPopulation: 50 });
  const start = Date.UTC(2026, 10, 25, 10, 0, 0);
  return Array.from({ length: count }, (_, i) => generator.next(new Date(start + i * 200)));
}

describe('UserGenerator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(run(7, 300)).toEqual(run(7, 300));
    expect(run(8, 20)).not.toEqual(run(7, 20));
  });

  it('produces only records the users topic accepts, keyed by their id', () => {
    for (const change of run(1, 2000)) {
      if (change.value === null) continue;
      expect(userRecordSchema.safeParse(change.value).error).toBeUndefined();
      expect(change.key).toBe(change.value.id);
    }
  });

  it('creates, updates and deletes; updates and deletes only touch live users', () => {
    const changes = run(3, 2000);
    const kinds = new Set(changes.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['create', 'update', 'delete']));
    const live = new Map<string, { created_at: string }>();
    for (const change of changes) {
      if (change.kind === 'create') {
        expect(live.has(change.key)).toBe(false);
        live.set(change.key, change.value);
      } else {
        const before = live.get(change.key);
        expect(before).toBeDefined();
        if (change.kind === 'delete') live.delete(change.key);
        else expect(change.value.created_at).toBe(before?.created_at);
      }
    }
  });

  it('writes timestamps the way Debezium does (microseconds, Z)', () => {
    expect(cdcTimestamp(new Date('2026-11-25T10:00:00.123Z'))).toBe('2026-11-25T10:00:00.123000Z');
  });
});
