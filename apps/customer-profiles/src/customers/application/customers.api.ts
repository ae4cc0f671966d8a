import { currencySchema, fraudRuleSchema, idSchema, timestampSchema, userRecordSchema } from '@shop/contracts';
import { apiModel, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import type { CustomerProfile } from '../domain/customer-profile';

const count = z.number().int().nonnegative();
const cents = z.number().int().nonnegative();

/** The body of GET /customers/:id, from the contracts' pieces (checked against the type). */
const customerProfileSchema = schemaFor<CustomerProfile>()(
  z.object({
    userId: idSchema,
    user: z
      .object({ name: userRecordSchema.shape.name, email: userRecordSchema.shape.email, country: userRecordSchema.shape.country })
      .nullable()
      .describe('the users view: null once the user is deleted, or before its record is consumed'),
    orderCount: count.describe('validated orders'),
    lifetimeValue: z
      .array(z.object({ currency: currencySchema, totalCents: cents }))
      .describe('sum of the validated orders, per currency, ordered by currency'),
    lastOrder: z
      .object({ orderId: idSchema, totalCents: cents, currency: currencySchema, validatedAt: timestampSchema })
      .nullable()
      .describe('the validated order with the latest validatedAt (equal times: the greatest order id)'),
    lastShipment: z
      .object({ shipmentId: idSchema, orderId: idSchema, createdAt: timestampSchema })
      .nullable()
      .describe('the shipment with the latest createdAt (equal times: the greatest order id)'),
    openFraudAlerts: z
      .object({
        count,
        alerts: z.array(z.object({ alertId: idSchema, orderId: idSchema, rule: fraudRuleSchema, raisedAt: timestampSchema })),
      })
      .describe('every alert raised on the user (no event closes one), ordered by raisedAt'),
  }),
);

export const CustomerProfileModel = apiModel('CustomerProfile', customerProfileSchema);
