import { ANALYTICS_DIMENSIONS, ANALYTICS_WINDOW_SIZES } from '@shop/contracts';
import { mapConcurrent, requestJson } from './http';
import type { Observed } from './compare';

/** Reading the services' views over their HTTP APIs (docs/services.md). */

const CONCURRENCY = 16;

/** GET `${baseUrl}${pathOf(id)}` for every id: status and body, keyed by id. */
export async function getEach(baseUrl: string, ids: readonly string[], pathOf: (id: string) => string): Promise<Map<string, Observed>> {
  const results = await mapConcurrent(ids, CONCURRENCY, async (id) => [id, await requestJson(`${baseUrl}${pathOf(id)}`)] as const);
  return new Map(results.map(([id, r]) => [id, { status: r.status, body: r.body }]));
}

/** Every item of a `{ total, limit, offset, items }` listing. */
export async function listAll(baseUrl: string, pathWithQuery: string, limit = 200): Promise<{ total: number; items: unknown[] }> {
  const items: unknown[] = [];
  let total = 0;
  for (let offset = 0; ; offset += limit) {
    const sep = pathWithQuery.includes('?') ? '&' : '?';
    const { status, body } = await requestJson<{ total?: number; items?: unknown[] }>(
      `${baseUrl}${pathWithQuery}${sep}limit=${limit}&offset=${offset}`,
    );
    if (status !== 200 || !Array.isArray(body?.items))
      throw new Error(`GET ${pathWithQuery} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    items.push(...body.items);
    total = Number(body.total ?? items.length);
    if (body.items.length < limit || items.length >= total) return { total, items };
  }
}

export const WINDOW_QUERIES = ANALYTICS_WINDOW_SIZES.flatMap((size) => ANALYTICS_DIMENSIONS.map((dimension) => ({ size, dimension })));

export async function analyticsWindows(baseUrl: string): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const q of WINDOW_QUERIES) {
    const { status, body } = await requestJson(`${baseUrl}/analytics/windows?size=${q.size}&dimension=${q.dimension}`, {
      timeoutMs: 30_000,
    });
    if (status !== 200)
      throw new Error(
        `GET /analytics/windows?size=${q.size}&dimension=${q.dimension} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`,
      );
    result[`${q.size}/${q.dimension}`] = body;
  }
  return result;
}

/** Everything a service's API shows for the run's orders, as raw JSON: the "before" and "after" of a rebuild. */
export async function serviceSnapshot(
  name: string,
  baseUrl: string,
  orderIds: readonly string[],
  userIds: readonly string[] = [],
): Promise<unknown> {
  const plain = (m: Map<string, Observed>) => Object.fromEntries([...m].map(([id, o]) => [id, o]));
  switch (name) {
    case 'order-validation':
      return plain(await getEach(baseUrl, orderIds, (id) => `/orders/${encodeURIComponent(id)}`));
    case 'shipping': {
      const { total } = await listAll(baseUrl, '/shipments', 1);
      return { total, byOrder: plain(await getEach(baseUrl, orderIds, (id) => `/shipments/${encodeURIComponent(id)}`)) };
    }
    case 'fraud-detection': {
      const { total, items } = await listAll(baseUrl, '/alerts');
      const key = (a: unknown) => String((a as { alertId?: unknown }).alertId);
      return { total, items: [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
    }
    case 'customer-profiles':
      return plain(await getEach(baseUrl, userIds, (id) => `/customers/${encodeURIComponent(id)}`));
    case 'analytics':
      return { totals: (await requestJson(`${baseUrl}/analytics/totals`)).body, windows: await analyticsWindows(baseUrl) };
    default:
      throw new Error(`no snapshot for ${name}`);
  }
}
