import { addressSchema, idSchema, rejectionReasonSchema, timestampSchema } from '@shop/contracts';
import { apiErrorSchema, apiModel, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import { IDEMPOTENCY_KEY, placeOrderRequestSchema } from '../domain/order-request';
import type { OrderStatusView } from '../domain/order-status';
import { MAX_WAIT_MS } from '../domain/wait-query';
import type { OrderAccepted } from './orders.controller';

/**
 * The bodies of POST /orders and GET /orders/:id: the request is the schema POST /orders validates with, the
 * answers are checked against the types the handlers return.
 */
const links = z.object({ self: z.string().describe('/orders/<orderId>') });

export const PlaceOrderRequestModel = apiModel('PlaceOrderRequest', placeOrderRequestSchema);

export const OrderAcceptedModel = apiModel(
  'OrderAccepted',
  schemaFor<OrderAccepted>()(
    z.object({ orderId: idSchema.describe('the given orderId, or a generated UUID'), status: z.literal('placed'), links }),
  ),
);

export const OrderStatusModel = apiModel(
  'OrderStatus',
  schemaFor<OrderStatusView>()(
    z.object({
      orderId: idSchema,
      userId: idSchema,
      status: z.enum(['placed', 'validated', 'rejected']).describe('placed until the verdict is consumed'),
      reasons: z.array(rejectionReasonSchema).describe('why it was rejected; empty otherwise'),
      placedAt: timestampSchema,
      verdictAt: timestampSchema.nullable().describe("event time of the verdict (the order's placedAt); null while placed"),
      shippingAddress: addressSchema.nullable().describe('where a validated order ships; null otherwise'),
      links,
    }),
  ),
);

/** A 409 or 422 of POST /orders: the one error body, with the order it is about. */
const refusal = (orderDescription: string) => apiErrorSchema.extend({ orderId: idSchema.describe(orderDescription) });

export const OrderAlreadyPlacedModel = apiModel('OrderAlreadyPlaced', refusal('the order placed with this orderId'));
export const IdempotencyKeyReusedModel = apiModel('IdempotencyKeyReused', refusal('the order the key was first used for'));
/** The 503 (a 5xx: not the 4xx error body). */
export const OrderNotPublishedModel = apiModel(
  'OrderNotPublished',
  z.object({
    error: z.literal('order not published'),
    orderId: idSchema,
    message: z.string().describe('what to do: retry with the same Idempotency-Key'),
  }),
);

export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY);
export const waitMsSchema = z.number().int().min(0).max(MAX_WAIT_MS).default(0);
