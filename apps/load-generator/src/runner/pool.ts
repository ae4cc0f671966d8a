import { setTimeout as sleep } from 'node:timers/promises';

/** Runs `work` for 0..count-1 with at most `concurrency` in flight; `due(i)` delays the start of item i. */
export async function pool(
  count: number,
  concurrency: number,
  due: (i: number) => number,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const wait = due(i) - Date.now();
      if (wait > 0) await sleep(wait);
      await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(count, 1)) }, worker));
}
