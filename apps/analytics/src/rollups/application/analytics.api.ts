import { analyticsDimensionSchema, analyticsWindowSizeSchema } from '@shop/contracts';
import { apiModel, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import type { TotalsReport, WindowsReport } from '../domain/reports';

/** The bodies of GET /analytics/totals and /analytics/windows (checked against the types). */
const count = z.number().int().nonnegative();
const cents = count.describe('integer minor units (cents)');

export const windowSizeSchema = analyticsWindowSizeSchema;
export const dimensionSchema = analyticsDimensionSchema;

export const totalsReportSchema = schemaFor<TotalsReport>()(
  z.object({
    orders: z.object({ validated: count, rejected: count }),
    revenueCents: cents.describe('revenue of the validated orders (Σ totalCents), in cents'),
    shipments: count,
    fraudAlerts: z.object({ total: count, byRule: z.record(z.string(), count).describe('alerts per rule, rules in name order') }),
  }),
);

const isoOrNull = z.string().nullable();

export const TotalsReportModel = apiModel('TotalsReport', totalsReportSchema);
export const WindowsReportModel = apiModel(
  'WindowsReport',
  schemaFor<WindowsReport>()(
    z.object({
      size: windowSizeSchema,
      dimension: dimensionSchema,
      from: isoOrNull.describe("the query's from, ISO-8601 (UTC); null when not given"),
      to: isoOrNull.describe("the query's to, ISO-8601 (UTC); null when not given"),
      windows: z.array(
        z.object({
          windowStart: isoOrNull.describe('ISO-8601 (UTC); null for the running totals'),
          windowEnd: isoOrNull,
          values: z.array(
            z.object({
              value: z.string().describe("the region, product id, category or channel ('unknown' when the order did not say)"),
              count,
              revenueCents: cents,
            }),
          ),
        }),
      ),
    }),
  ),
);
