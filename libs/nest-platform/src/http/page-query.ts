/** `?limit=&offset=` paging of list endpoints, shared by every service that lists something. */
import { z } from 'zod';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 200;

export interface PageQuery {
  readonly limit: number;
  readonly offset: number;
}

const intParam = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback);

export interface PageLimits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

/** The zod fields of `?limit=&offset=`, for a list endpoint that adds filters of its own to the same object. */
export function pageQueryFields(limits: PageLimits = { defaultLimit: DEFAULT_PAGE_LIMIT, maxLimit: MAX_PAGE_LIMIT }) {
  return {
    limit: intParam('limit', 1, limits.maxLimit, limits.defaultLimit),
    offset: intParam('offset', 0, Number.MAX_SAFE_INTEGER, 0),
  };
}

const pageQuerySchema = z.object(pageQueryFields());

export type PageQueryResult = { readonly ok: true; readonly page: PageQuery } | { readonly ok: false; readonly problems: string[] };

/** Reads `?limit=&offset=` (strings from the URL); every problem is listed. */
export function parsePageQuery(query: Readonly<Record<string, unknown>>): PageQueryResult {
  const parsed = pageQuerySchema.safeParse({ limit: query['limit'], offset: query['offset'] });
  if (parsed.success) return { ok: true, page: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => (i.code === 'invalid_type' ? `${String(i.path[0])} must be given once` : i.message)),
  };
}
