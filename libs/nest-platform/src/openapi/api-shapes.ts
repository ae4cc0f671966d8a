import { applyDecorators } from '@nestjs/common';
import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../http/page-query';
import { ApiJsonResponse, ApiQueryParam, apiModel, type ApiModel } from './api-schema';

/**
 * Shapes every service's API documents share: the error bodies (the one of every 4xx, Nest's of a 5xx), a page of a
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
 * The one body of every 4xx (ApiErrorFilter of the platform answers each in it: a controller's, a guard's, an
 * unknown route's, fastify's 413 and 415). A route whose 4xx carries more (order-validation's `orderId`) documents
 * `apiErrorSchema.extend({ ... })` under a name of its own.
 */
export const apiErrorSchema = z.object({
  statusCode: z.number().int().min(400).max(499).describe('the HTTP status, as in the status line'),
  error: z.string().describe('its status text: "Bad Request", "Unauthorized", "Not Found", "Conflict", "Payload Too Large", …'),
  message: z.string().describe('what was refused, in one line'),
  reasons: z
    .array(z.string())
    .min(1)
    .describe('every reason, as `field: problem` where a field is at fault (the message alone when there is no more to say)'),
});

export const ApiError = apiModel('ApiError', apiErrorSchema);

/** A 4xx of a route: its body is ApiError (or `model`, an extension of apiErrorSchema). */
export function ApiErrorResponse(status: number, description: string, model: ApiModel = ApiError): MethodDecorator {
  return ApiJsonResponse(status, description, model);
}

/**
 * Nest's body of a 5xx (any unexpected failure: `{ statusCode: 500, message }`; a 503 thrown with a message):
 * 5xx answers are not reshaped.
 */
export const HttpError = apiModel(
  'HttpError',
  z.object({
    statusCode: z.number().int().min(500).max(599),
    message: z.string(),
    error: z.string().optional().describe('the status text, e.g. "Service Unavailable"; absent on 500'),
  }),
);
