import { inspect } from 'node:util';

export interface WaitUntilOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Pause between two probes (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message: "order o-1 to be shipped". */
  description: string;
}

type Probe<T> = () => Promise<T | undefined | false> | T | undefined | false;

const NOT_YET = Symbol('not yet');

function describeValue(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 500 });
}

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and resolves with it.
 * A probe that throws counts as "not yet". Probes never overlap; a probe still pending at the deadline
 * is abandoned. On timeout, rejects with the description and the last value or error seen.
 */
export async function waitUntil<T>(probe: Probe<T>, opts: WaitUntilOptions): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 100;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  let last: { kind: 'none' } | { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } = { kind: 'none' };

  for (;;) {
    attempts += 1;
    const remaining = deadline - Date.now();
    const result = await runWithin(probe, Math.max(remaining, 1));
    if (result.kind === 'value') {
      if (result.value !== undefined && result.value !== false) return result.value;
      last = result;
    } else if (result.kind === 'error') {
      last = result;
    }
    const now = Date.now();
    if (now >= deadline) break;
    await delay(Math.min(intervalMs, deadline - now));
  }

  const lastSeen =
    last.kind === 'error'
      ? `last error: ${last.error instanceof Error ? `${last.error.name}: ${last.error.message}` : describeValue(last.error)}`
      : last.kind === 'value'
        ? `last value: ${describeValue(last.value)}`
        : 'the probe never completed';
  const error = new Error(`Timed out after ${Date.now() - started} ms (${attempts} attempts) waiting for ${opts.description}; ${lastSeen}`);
  if (last.kind === 'error') error.cause = last.error;
  throw error;
}

type Outcome<T> = { kind: 'value'; value: T | undefined | false } | { kind: 'error'; error: unknown } | { kind: 'pending' };

async function runWithin<T>(probe: Probe<T>, ms: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<typeof NOT_YET>((resolve) => {
    timer = setTimeout(() => resolve(NOT_YET), ms);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(probe), pending]);
    return value === NOT_YET ? { kind: 'pending' } : { kind: 'value', value };
  } catch (error) {
    return { kind: 'error', error };
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
