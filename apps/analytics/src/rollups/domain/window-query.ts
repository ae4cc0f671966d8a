import { ANALYTICS_DIMENSIONS, ANALYTICS_WINDOW_SIZES, type AnalyticsDimension, type AnalyticsWindowSize } from '@shop/contracts';

/** `GET /analytics/windows?size=&dimension=&from=&to=`, parsed. `from`/`to` select windows by their start. */
export interface WindowQuery {
  readonly size: AnalyticsWindowSize;
  readonly dimension: AnalyticsDimension;
  /** Windows starting at or after this instant (inclusive). */
  readonly from: Date | null;
  /** Windows starting before this instant (exclusive). */
  readonly to: Date | null;
}

export type WindowQueryResult = { readonly ok: true; readonly query: WindowQuery } | { readonly ok: false; readonly problems: string[] };

/** ISO-8601 date-time with a zone (Z or ±hh:mm), e.g. 2026-11-25T10:00:00Z. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function single(query: Readonly<Record<string, unknown>>, name: string, problems: string[]): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    problems.push(`${name} must be given once`);
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], raw: string | undefined, problems: string[]): T | undefined {
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  return undefined;
}

function instant(name: string, raw: string | undefined, problems: string[]): Date | null {
  if (raw === undefined) return null;
  const at = new Date(raw);
  if (!ISO_INSTANT.test(raw) || Number.isNaN(at.getTime())) {
    problems.push(`${name} must be an ISO-8601 date-time with a zone, e.g. 2026-11-25T10:00:00Z (got "${raw}")`);
    return null;
  }
  return at;
}

/** Reads the query string (values as Express gives them: string, or an array when repeated); lists every problem. */
export function parseWindowQuery(query: Readonly<Record<string, unknown>>): WindowQueryResult {
  const problems: string[] = [];
  const rawSize = single(query, 'size', problems);
  const rawDimension = single(query, 'dimension', problems);
  const rawFrom = single(query, 'from', problems);
  const rawTo = single(query, 'to', problems);

  if (rawSize === undefined && query['size'] === undefined) problems.push(`size is required (one of ${ANALYTICS_WINDOW_SIZES.join(', ')})`);
  if (rawDimension === undefined && query['dimension'] === undefined)
    problems.push(`dimension is required (one of ${ANALYTICS_DIMENSIONS.join(', ')})`);
  const size = oneOf('size', ANALYTICS_WINDOW_SIZES, rawSize, problems);
  const dimension = oneOf('dimension', ANALYTICS_DIMENSIONS, rawDimension, problems);
  const from = instant('from', rawFrom, problems);
  const to = instant('to', rawTo, problems);
  if (from && to && from.getTime() > to.getTime()) problems.push('from must not be after to');
  if (size === 'total' && (rawFrom !== undefined || rawTo !== undefined)) {
    problems.push('from and to select 1m and 1h windows; size=total has no time range');
  }
  if (problems.length > 0 || !size || !dimension) return { ok: false, problems };
  return { ok: true, query: { size, dimension, from, to } };
}
