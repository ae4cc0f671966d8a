import { addressSchema, idSchema, rejectionReasonSchema, timestampSchema } from '@shop/contracts';
import { apiModel, errorWithReasons, schemaFor } from '@shop/nest-platform';
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

const refusal = <E extends string>(error: E, message: string) =>
  z.object({ error: z.literal(error), orderId: idSchema, message: z.string().describe(message) });

export const InvalidOrderModel = apiModel('InvalidOrder', errorWithReasons('invalid order'));
export const InvalidRequestModel = apiModel('InvalidRequest', errorWithReasons('invalid request'));
export const OrderAlreadyPlacedModel = apiModel('OrderAlreadyPlaced', refusal('order already placed', 'which order'));
export const IdempotencyKeyReusedModel = apiModel(
  'IdempotencyKeyReused',
  refusal('idempotency key reused', 'the key and the order it was first used for'),
);
export const OrderNotPublishedModel = apiModel(
  'OrderNotPublished',
  refusal('order not published', 'what to do: retry with the same Idempotency-Key'),
);
export const UnknownOrderModel = apiModel('UnknownOrder', z.object({ error: z.literal('unknown order'), message: z.string() }));

export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY);
export const waitMsSchema = z.number().int().min(0).max(MAX_WAIT_MS).default(0);
