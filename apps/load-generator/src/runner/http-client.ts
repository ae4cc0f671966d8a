import { setTimeout as sleep } from 'node:timers/promises';

export interface PostOutcome {
  /** Last HTTP status, or 0 when no answer came (connection error, timeout). */
  readonly status: number;
  readonly body: unknown;
  readonly attempts: number;
  readonly error?: string;
}

export interface PostOptions {
  readonly maxAttempts?: number;
  readonly timeoutMs?: number;
  readonly baseDelayMs?: number;
}

const retryable = (status: number) => status === 0 || status === 429 || status >= 500;

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * POSTs a JSON text with an Idempotency-Key; retries 5xx, 429 and connection errors with the same key and
 * body (the service dedupes on the key), with exponential backoff. 4xx answers are final.
 */
export async function postJson(url: string, rawBody: string, idempotencyKey: string, options: PostOptions = {}): Promise<PostOutcome> {
  const maxAttempts = options.maxAttempts ?? 8;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const baseDelayMs = options.baseDelayMs ?? 100;
  let last: PostOutcome = { status: 0, body: null, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: rawBody,
        signal: AbortSignal.timeout(timeoutMs),
      });
      last = { status: response.status, body: await readBody(response), attempts: attempt };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      last = { status: 0, body: null, attempts: attempt, error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
    }
    if (!retryable(last.status)) return last;
    if (attempt < maxAttempts) await sleep(Math.min(2_000, baseDelayMs * 2 ** (attempt - 1)));
  }
  return last;
}

/**
 * Any JSON request (GET, PATCH, DELETE, POST without a key) with the same retry rule as postJson: 5xx, 429 and
 * connection errors are retried with exponential backoff (bounded by `maxAttempts`, each delay ≤ 2 s); any
 * other answer is final.
 */
export async function requestJson(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, options: PostOptions = {}): Promise<PostOutcome> {
  const maxAttempts = options.maxAttempts ?? 8;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const baseDelayMs = options.baseDelayMs ?? 100;
  let last: PostOutcome = { status: 0, body: null, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      last = { status: response.status, body: await readBody(response), attempts: attempt };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      last = { status: 0, body: null, attempts: attempt, error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
    }
    if (!retryable(last.status)) return last;
    if (attempt < maxAttempts) await sleep(Math.min(2_000, baseDelayMs * 2 ** (attempt - 1)));
  }
  return last;
}
