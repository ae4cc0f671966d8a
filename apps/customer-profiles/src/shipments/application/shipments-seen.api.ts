import { envelopeMetadataSchema } from '@shop/contracts';
import { apiModel, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import type { SeenSummary } from '../domain/shipments-seen';

const count = z.number().int().nonnegative();

/** The body of GET /shipments/seen, from the contracts' pieces (checked against the type). */
const seenSummarySchema = schemaFor<SeenSummary>()(
  z.object({
    topic: z.string().describe('the topic of the catalogue'),
    total: count,
    byType: z.array(z.object({ type: envelopeMetadataSchema.shape.type, count })).describe('ordered by type'),
  }),
);

export const ShipmentsSeenSummaryModel = apiModel('ShipmentsSeenSummary', seenSummarySchema);
