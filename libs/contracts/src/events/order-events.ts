import { z } from 'zod';
import { envelopeSchema } from '../envelope/envelope';
import { addressSchema, amountSchema, currencySchema, idSchema, timestampSchema } from './common';
import { fraudRuleSchema, orderChannelSchema, rejectionCodeSchema } from './vocabularies';

export const orderLineSchema = z.object({
  productId: idSchema,
  category: z.string().min(1).max(50),
  quantity: z.number().int().positive().max(10_000),
  unitPriceCents: amountSchema,
});
export type OrderLine = z.infer<typeof orderLineSchema>;

/**
 * Versions. An event type's payload schema of each version is kept here as long as records of it may be on a topic
 * (topics are kept forever): the topic's value schema accepts every version and upcasts the older ones to the
 * latest, so consumers see one type. `npm run contracts:schemas` commits each version's JSON Schema under
 * libs/contracts/schemas/, and a unit test refuses a change a reader of older records could not read
 * (README, "Evolving an event").
 */

/** OrderPlaced v1: an order as accepted by `POST /orders`. Whether it is valid for its user is decided downstream. */
export const orderPlacedV1Schema = z.object({
  orderId: idSchema,
  userId: idSchema,
  lines: z.array(orderLineSchema).min(1).max(100),
  currency: currencySchema,
  totalCents: amountSchema,
  shippingAddress: addressSchema.nullable(),
  placedAt: timestampSchema,
});

/** OrderPlaced v2 (the latest): v1 and the channel the order came through, when the client said. */
export const orderPlacedSchema = orderPlacedV1Schema.extend({ channel: orderChannelSchema.optional() });
export type OrderPlaced = z.infer<typeof orderPlacedSchema>;

/** OrderValidated v1. */
export const orderValidatedV1Schema = z.object({
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

/** OrderValidated v2 (the latest): v1 and the order's channel, copied from its OrderPlaced (analytics rolls up by it). */
export const orderValidatedSchema = orderValidatedV1Schema.extend({ channel: orderChannelSchema.optional() });
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

export const orderPlacedV1EventSchema = envelopeSchema('OrderPlaced', 1, orderPlacedV1Schema);
export const orderPlacedV2EventSchema = envelopeSchema('OrderPlaced', 2, orderPlacedSchema);
export const orderValidatedV1EventSchema = envelopeSchema('OrderValidated', 1, orderValidatedV1Schema);
export const orderValidatedV2EventSchema = envelopeSchema('OrderValidated', 2, orderValidatedSchema);
export const orderRejectedEventSchema = envelopeSchema('OrderRejected', 1, orderRejectedSchema);
export const shipmentCreatedEventSchema = envelopeSchema('ShipmentCreated', 1, shipmentCreatedSchema);
export const fraudAlertRaisedEventSchema = envelopeSchema('FraudAlertRaised', 1, fraudAlertRaisedSchema);

/**
 * Upcasting: the one place where an older version becomes the latest. v2 only added an optional field, so a v1
 * event is a v2 event without a channel; a later version that renames or derives a field does it here.
 */
export const orderPlacedEventSchema = z
  .discriminatedUnion('version', [orderPlacedV1EventSchema, orderPlacedV2EventSchema])
  .transform((event): z.output<typeof orderPlacedV2EventSchema> => (event.version === 2 ? event : { ...event, version: 2 }));
export const orderValidatedEventSchema = z
  .discriminatedUnion('version', [orderValidatedV1EventSchema, orderValidatedV2EventSchema])
  .transform((event): z.output<typeof orderValidatedV2EventSchema> => (event.version === 2 ? event : { ...event, version: 2 }));

/** `order-validations` carries both verdicts; `type` tells them apart (then `version`, for OrderValidated). */
export const orderVerdictEventSchema = z.discriminatedUnion('type', [orderValidatedEventSchema, orderRejectedEventSchema]);

/** The latest version of each event: what consumers see, whichever version was written. */
export type OrderPlacedEvent = z.output<typeof orderPlacedEventSchema>;
export type OrderValidatedEvent = z.output<typeof orderValidatedEventSchema>;
export type OrderRejectedEvent = z.output<typeof orderRejectedEventSchema>;
export type OrderVerdictEvent = z.output<typeof orderVerdictEventSchema>;
export type ShipmentCreatedEvent = z.output<typeof shipmentCreatedEventSchema>;
export type FraudAlertRaisedEvent = z.output<typeof fraudAlertRaisedEventSchema>;
/** Every version as written: what a producer of older records (a test feeding v1, an old deployment) writes. */
export type OrderPlacedV1Event = z.output<typeof orderPlacedV1EventSchema>;
export type OrderValidatedV1Event = z.output<typeof orderValidatedV1EventSchema>;
