import { applyDecorators } from '@nestjs/common';
import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../http/page-query';
import { ApiQueryParam, apiModel } from './api-schema';

/**
 * Shapes every service's API documents share: the error bodies Nest and fastify answer with, a page of a
 * list, and the compile-time check that a response schema describes the type its handler returns.
 */

type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { -readonly [K in keyof T]: Mutable<T[K]> }
      : T;
type Same<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/**
 * `schemaFor<Shipment>()(z.object({...}))` returns the schema, and fails to compile unless what it parses to
 * is exactly `Shipment` (readonly aside): a response schema written beside an interface cannot drift from it.
 */
export function schemaFor<T>() {
  return <S extends z.ZodType>(
    schema: S & (Same<Mutable<T>, Mutable<z.output<S>>> extends true ? unknown : { readonly 'schema and type differ': never }),
  ): S => schema;
}

const count = z.number().int().nonnegative();

/** `{ total, limit, offset, items }`: one page of a list (`?limit=&offset=`). */
export function pageOf<S extends z.ZodType>(item: S, itemsDescription: string) {
  return z.object({
    total: count.describe('all matching items, every page together'),
    limit: count,
    offset: count,
    items: z.array(item).describe(itemsDescription),
  });
}

/** `?limit=&offset=` (parsePageQuery, or a list's own parser with other limits). */
export function ApiPageQuery(
  limits: { readonly defaultLimit: number; readonly maxLimit: number } = { defaultLimit: DEFAULT_PAGE_LIMIT, maxLimit: MAX_PAGE_LIMIT },
): MethodDecorator {
  return applyDecorators(
    ApiQueryParam('limit', z.number().int().min(1).max(limits.maxLimit).default(limits.defaultLimit), 'items per page'),
    ApiQueryParam('offset', z.number().int().min(0).default(0), 'items to skip'),
  );
}

/**
 * Nest's own error body (an HttpException thrown with a message, an unknown route, a body that is not JSON
 * where the service does not reshape it) and fastify's (413 body too large, 415 media type; no `error` there).
 */
export const HttpError = apiModel(
  'HttpError',
  z.object({
    statusCode: z.number().int().min(400).max(599),
    message: z.string(),
    error: z.string().optional().describe('the status text, e.g. "Not Found"; absent on 413, 415 and 500'),
  }),
);

/** Nest's error body for an HttpException thrown with a list: every problem of a query string. */
export const HttpErrorList = apiModel(
  'HttpErrorList',
  z.object({
    statusCode: z.number().int().min(400).max(599),
    message: z.array(z.string()).min(1).describe('every problem found'),
    error: z.string().describe('the status text, e.g. "Bad Request"'),
  }),
);

/** `{ error, reasons }`: a service's own 4xx body (invalidJsonFilter answers malformed JSON in it too). */
export const errorWithReasons = (error: string) =>
  z.object({
    error: z.literal(error),
    reasons: z.array(z.string()).min(1).describe('every reason, as `field: problem` where a field is at fault'),
  });
