import { GroupCommit } from './group-commit';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('GroupCommit', () => {
  it('hands items submitted in one turn to one flush, results in order', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, string>(
      async (items) => {
        batches.push([...items]);
        return items.map((i) => `r${i}`);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const results = await Promise.all([1, 2, 3].map((i) => group.submit(i)));
    expect(results).toEqual(['r1', 'r2', 'r3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects what arrives during a flush into the next batch, bounded by maxBatch', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const group = new GroupCommit<number, number>(
      async (items) => {
        batches.push([...items]);
        if (batches.length === 1) await gate.promise;
        return items;
      },
      { maxBatch: 2, maxInFlight: 1 },
    );
    const first = group.submit(0);
    await tick();
    const later = [1, 2, 3, 4, 5].map((i) => group.submit(i));
    await tick();
    expect(batches).toEqual([[0]]); // one flush in flight: the others wait
    gate.release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[0], [1, 2], [3, 4], [5]]);
  });

  it('runs up to maxInFlight flushes at once', async () => {
    const gate = deferred();
    let running = 0;
    let most = 0;
    const group = new GroupCommit<number, number>(
      async (items) => {
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return items;
      },
      { maxBatch: 1, maxInFlight: 2 },
    );
    const all = [1, 2, 3, 4].map((i) => group.submit(i));
    await tick();
    await tick();
    expect(running).toBe(2);
    gate.release();
    await Promise.all(all);
    expect(most).toBe(2);
  });

  it('rejects only the caller whose result is an Error; a thrown flush rejects the batch', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>(
      async (items) => {
        calls++;
        if (calls === 2) throw new Error('database away');
        return items.map((i) => (i === 2 ? new Error('conflict') : i));
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => group.submit(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await expect(Promise.all([group.submit(4), group.submit(5)])).rejects.toThrow('database away');
    await expect(group.submit(6)).resolves.toBe(6);
  });

  it('drain resolves once everything submitted is flushed', async () => {
    const flushed: number[] = [];
    const group = new GroupCommit<number, number>(
      async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        flushed.push(...items);
        return items;
      },
      { maxBatch: 2, maxInFlight: 1 },
    );
    const all = [1, 2, 3].map((i) => group.submit(i));
    await group.drain();
    expect(flushed).toEqual([1, 2, 3]);
    await Promise.all(all);
    await expect(group.drain()).resolves.toBeUndefined();
  });
});
