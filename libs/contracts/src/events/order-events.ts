import { z } from 'zod';
import { envelopeSchema } from '../envelope/envelope';
import { addressSchema, amountSchema, currencySchema, idSchema, timestampSchema } from './common';
import { fraudRuleSchema, rejectionCodeSchema } from './vocabularies';

export const orderLineSchema = z.object({
  productId: idSchema,
  category: z.string().min(1).max(50),
  quantity: z.number().int().positive().max(10_000),
  unitPriceCents: amountSchema,
});
export type OrderLine = z.infer<typeof orderLineSchema>;

/** An order as accepted by `POST /orders`. Whether it is valid for its user is decided downstream. */
export const orderPlacedSchema = z.object({
  orderId: idSchema,
  userId: idSchema,
  lines: z.array(orderLineSchema).min(1).max(100),
  currency: currencySchema,
  totalCents: amountSchema,
  shippingAddress: addressSchema.nullable(),
  placedAt: timestampSchema,
});
export type OrderPlaced = z.infer<typeof orderPlacedSchema>;

export const orderValidatedSchema = z.object({
  orderId: idSchema,
  userId: idSchema,
  totalCents: amountSchema,
  currency: currencySchema,
  lines: z.array(orderLineSchema).min(1),
  /** Where it ships, resolved at validation: the order's own address, else the user's address then. */
  shippingAddress: addressSchema,
  placedAt: timestampSchema,
  validatedAt: timestampSchema,
});
export type OrderValidated = z.infer<typeof orderValidatedSchema>;

export const rejectionReasonSchema = z.object({
  code: rejectionCodeSchema,
  message: z.string().min(1).max(500),
});
export type RejectionReason = z.infer<typeof rejectionReasonSchema>;

export const orderRejectedSchema = z.object({
  orderId: idSchema,
  userId: idSchema,
  reasons: z.array(rejectionReasonSchema).min(1),
  placedAt: timestampSchema,
  rejectedAt: timestampSchema,
});
export type OrderRejected = z.infer<typeof orderRejectedSchema>;

export const shipmentCreatedSchema = z.object({
  shipmentId: idSchema,
  orderId: idSchema,
  userId: idSchema,
  address: addressSchema,
  createdAt: timestampSchema,
});
export type ShipmentCreated = z.infer<typeof shipmentCreatedSchema>;

export const fraudAlertRaisedSchema = z.object({
  alertId: idSchema,
  userId: idSchema,
  orderId: idSchema,
  rule: fraudRuleSchema,
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
  raisedAt: timestampSchema,
});
export type FraudAlertRaised = z.infer<typeof fraudAlertRaisedSchema>;

export const orderPlacedEventSchema = envelopeSchema('OrderPlaced', 1, orderPlacedSchema);
export const orderValidatedEventSchema = envelopeSchema('OrderValidated', 1, orderValidatedSchema);
export const orderRejectedEventSchema = envelopeSchema('OrderRejected', 1, orderRejectedSchema);
export const shipmentCreatedEventSchema = envelopeSchema('ShipmentCreated', 1, shipmentCreatedSchema);
export const fraudAlertRaisedEventSchema = envelopeSchema('FraudAlertRaised', 1, fraudAlertRaisedSchema);

/** `order-validations` carries both verdicts; `type` tells them apart. */
export const orderVerdictEventSchema = z.discriminatedUnion('type', [orderValidatedEventSchema, orderRejectedEventSchema]);

export type OrderPlacedEvent = z.infer<typeof orderPlacedEventSchema>;
export type OrderValidatedEvent = z.infer<typeof orderValidatedEventSchema>;
export type OrderRejectedEvent = z.infer<typeof orderRejectedEventSchema>;
export type OrderVerdictEvent = z.infer<typeof orderVerdictEventSchema>;
export type ShipmentCreatedEvent = z.infer<typeof shipmentCreatedEventSchema>;
export type FraudAlertRaisedEvent = z.infer<typeof fraudAlertRaisedEventSchema>;
