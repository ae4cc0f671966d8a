import { z } from 'zod';

/**
 * Every domain event on an order topic travels in this envelope. The payload schema is chosen by
 * (type, version); consumers validate the whole envelope before they touch the payload. A topic accepts every
 * supported version of each of its types and upcasts older ones to the latest (events/order-events.ts).
 *
 * `id` is deterministic (derived from the event's cause) so a consumer that sees the same event twice,
 * e.g. after a producer retry, can tell.
 */
export const envelopeMetadataSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  source: z.string().min(1).max(100),
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).nullable(),
});

export type EnvelopeMetadata = z.infer<typeof envelopeMetadataSchema>;

export interface Envelope<TType extends string, TPayload> extends EnvelopeMetadata {
  type: TType;
  payload: TPayload;
}

/** Schema of one envelope whose payload is `payload` and whose type/version are fixed. */
export function envelopeSchema<TType extends string, TVersion extends number, TPayload extends z.ZodType>(
  type: TType,
  version: TVersion,
  payload: TPayload,
) {
  return envelopeMetadataSchema.extend({
    type: z.literal(type),
    version: z.literal(version),
    payload,
  });
}

/**
 * One version of one event type as it is written on a topic (the whole value: the envelope, or the plain row of a
 * changelog). The committed JSON Schemas, the backward-compatibility check and the AsyncAPI document list these.
 */
export interface EventVersion {
  readonly type: string;
  readonly version: number;
  readonly schema: z.ZodType;
}

/** The EventVersion of an envelope schema made by `envelopeSchema`. */
export function eventVersion(schema: ReturnType<typeof envelopeSchema>): EventVersion {
  return { type: schema.shape.type.value, version: schema.shape.version.value, schema };
}
