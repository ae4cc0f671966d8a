import { envelopeMetadataSchema, fraudAlertRaisedSchema, fraudRuleSchema, idSchema, timestampSchema } from '@shop/contracts';
import { apiModel, pageOf, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import type { Alert, AlertPage } from '../domain/alert';

/** The bodies of GET /alerts and GET /alerts/:alertId, from the FraudAlertRaised contract (checked against the types). */

const alertSchema = schemaFor<Alert>()(
  z.object({
    alertId: idSchema.describe('the alertId of FraudAlertRaised'),
    eventId: envelopeMetadataSchema.shape.id.describe(
      'the readable id (`<userId>:velocity:<windowStart ISO>`), the envelope id on fraud-alerts',
    ),
    rule: fraudRuleSchema,
    userId: idSchema,
    orderId: idSchema,
    evidence: fraudAlertRaisedSchema.shape.evidence,
    raisedAt: timestampSchema,
    causationId: z.string().describe('envelope id of the verdict that raised it'),
  }),
);

export const AlertModel = apiModel('Alert', alertSchema);
export const AlertPageModel = apiModel(
  'AlertPage',
  schemaFor<AlertPage>()(pageOf(alertSchema, 'newest first (raisedAt, then alertId, both descending)')),
);
