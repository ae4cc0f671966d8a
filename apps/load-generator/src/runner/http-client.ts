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

/** A small, stable spread of keys over instances (FNV-1a). */
function spread(key: string, n: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash % n;
}

/**
 * POSTs a JSON text with an Idempotency-Key; retries 5xx, 429 and connection errors with the same key and
 * body (the service dedupes on the key), with exponential backoff. 4xx answers are final.
 * With several URLs (instances of one service, as behind a load balancer), requests spread over them by key,
 * and a failed attempt moves on to the next instance at once; the backoff applies once every instance failed.
 */
export async function postJson(
  url: string | readonly string[],
  rawBody: string,
  idempotencyKey: string,
  options: PostOptions = {},
): Promise<PostOutcome> {
  const urls = typeof url === 'string' ? [url] : url;
  if (urls.length === 0) throw new Error('postJson: no URL');
  const maxAttempts = options.maxAttempts ?? 8;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const first = spread(idempotencyKey, urls.length);
  let last: PostOutcome = { status: 0, body: null, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const target = urls[(first + attempt - 1) % urls.length] as string;
    try {
      const response = await fetch(target, {
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
    const round = Math.floor((attempt - 1) / urls.length);
    if (attempt < maxAttempts && attempt % urls.length === 0) await sleep(Math.min(2_000, baseDelayMs * 2 ** round));
  }
  return last;
}

/**
 * Any JSON request (GET, PATCH, DELETE, POST without a key) with the same retry rule as postJson: 5xx, 429 and
 * connection errors are retried with exponential backoff (bounded by `maxAttempts`, each delay ≤ 2 s); any
 * other answer is final.
 */
export async function requestJson(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  options: PostOptions = {},
): Promise<PostOutcome> {
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
