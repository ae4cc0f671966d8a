/** GET /orders/:id?waitMs=: how long the request may wait for a verdict. */
export const MAX_WAIT_MS = 30_000;

export type ParsedWait = { readonly ok: true; readonly waitMs: number } | { readonly ok: false; readonly reason: string };

/** Absent → 0 (answer at once); otherwise a whole number of milliseconds, 0 … 30000. */
export function parseWaitMs(raw: unknown): ParsedWait {
  if (raw === undefined || raw === '') return { ok: true, waitMs: 0 };
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
    return { ok: false, reason: `waitMs must be a whole number of milliseconds (0 to ${MAX_WAIT_MS})` };
  }
  const waitMs = Number(raw);
  if (waitMs > MAX_WAIT_MS) return { ok: false, reason: `waitMs must be at most ${MAX_WAIT_MS}` };
  return { ok: true, waitMs };
}
