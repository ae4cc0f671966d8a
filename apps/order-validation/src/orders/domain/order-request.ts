import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  addressSchema,
  amountSchema,
  currencySchema,
  idSchema,
  orderChannelSchema,
  orderLineSchema,
  orderPlacedSchema,
  timestampSchema,
  type OrderPlaced,
} from '@shop/contracts';

/**
 * The body of POST /orders (docs/services.md): the OrderPlaced payload with `orderId`, `shippingAddress`
 * and `placedAt` optional, and `channel` (OrderPlaced v2) optional as on the topic. Built from the contracts' pieces so the front door accepts exactly what the
 * `orders` topic carries.
 */
export const placeOrderRequestSchema = z.object({
  orderId: idSchema.optional(),
  userId: idSchema,
  lines: z.array(orderLineSchema).min(1).max(100),
  currency: currencySchema,
  totalCents: amountSchema,
  shippingAddress: addressSchema.nullable().optional(),
  placedAt: timestampSchema.optional(),
  channel: orderChannelSchema.optional(),
});
export type PlaceOrderRequest = z.infer<typeof placeOrderRequestSchema>;

export type ParsedRequest = { readonly ok: true; readonly request: PlaceOrderRequest } | { readonly ok: false; readonly reasons: string[] };

function describeIssue(issue: z.ZodError['issues'][number]): string {
  return `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)'}: ${issue.message}`;
}

/** Validates a request body; on failure every issue, as `path: message` (`lines.0.quantity: …`). */
export function parsePlaceOrderRequest(body: unknown): ParsedRequest {
  const parsed = placeOrderRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  return { ok: false, reasons: parsed.error.issues.map(describeIssue) };
}

/**
 * Why a request's placedAt is refused, or null: more than `maxAheadMs` ahead of `now` (the service's clock). An
 * absent placedAt becomes `now` and is always fine.
 */
export function placedAtProblem(request: PlaceOrderRequest, now: Date, maxAheadMs: number): string | null {
  if (request.placedAt === undefined) return null;
  const aheadMs = Date.parse(request.placedAt) - now.getTime();
  if (aheadMs <= maxAheadMs) return null;
  return `placedAt: is ${Math.ceil(aheadMs / 1000)} s ahead of the service's clock (at most ${maxAheadMs / 1000} s allowed)`;
}

/** The order as it goes on the log: a missing orderId is generated, a missing placedAt is now. */
export function resolveOrder(request: PlaceOrderRequest, defaults: { newOrderId: () => string; now: Date }): OrderPlaced {
  return orderPlacedSchema.parse({
    orderId: request.orderId ?? defaults.newOrderId(),
    userId: request.userId,
    lines: request.lines,
    currency: request.currency,
    totalCents: request.totalCents,
    shippingAddress: request.shippingAddress ?? null,
    placedAt: request.placedAt ?? defaults.now.toISOString(),
    // Absent stays absent (not `channel: undefined`): the event's JSON and its idempotency hash are those of before.
    ...(request.channel === undefined ? {} : { channel: request.channel }),
  });
}

/** JSON with object keys sorted at every level: equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Fingerprint of a request for the Idempotency-Key check: SHA-256 of the validated body in canonical JSON
 * (key order, whitespace and unknown fields do not matter; any value that does differs).
 */
export function requestHash(request: PlaceOrderRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export type ParsedIdempotencyKey = { readonly ok: true; readonly key: string | null } | { readonly ok: false; readonly reason: string };

/** The Idempotency-Key header: absent → null; otherwise 1–200 visible ASCII characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): ParsedIdempotencyKey {
  if (header === undefined) return { ok: true, key: null };
  if (Array.isArray(header)) return { ok: false, reason: 'Idempotency-Key: give the header once' };
  if (!IDEMPOTENCY_KEY.test(header)) {
    return { ok: false, reason: 'Idempotency-Key: 1 to 200 visible ASCII characters (no spaces)' };
  }
  return { ok: true, key: header };
}
