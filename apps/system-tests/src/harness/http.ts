export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** GET (or another method, with an optional JSON body) and parse the JSON answer; text bodies come back as strings. */
export async function requestJson<T = unknown>(
  url: string,
  init: { method?: string; timeoutMs?: number; json?: unknown; headers?: Readonly<Record<string, string>> } = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    headers: { ...init.headers, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: body as T };
}

/** Maps `items` with at most `concurrency` calls in flight; results keep the input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
