import { apiModel, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import { totalsReportSchema } from '../rollups/application/analytics.api';
import type { DashboardSnapshot } from './dashboard.snapshot';

/** What GET /dashboard/snapshot answers and GET /dashboard/events pushes (checked against the type). */
const count = z.number().int().nonnegative();
const dimensionTotal = z.object({ value: z.string(), count, revenueCents: count });

export const DashboardSnapshotModel = apiModel(
  'DashboardSnapshot',
  schemaFor<DashboardSnapshot>()(
    z.object({
      at: z.string().describe('when the snapshot was read, ISO-8601'),
      totals: totalsReportSchema.describe('exactly GET /analytics/totals'),
      ordersPerMinute: z
        .array(z.object({ windowStart: z.string().describe('ISO-8601 (UTC)'), orders: count, revenueCents: count }))
        .describe('the last 30 one-minute windows up to the latest one present (event time), oldest first'),
      revenueByRegion: z.array(dimensionTotal).describe('running totals, highest revenue first'),
      revenueByCategory: z.array(dimensionTotal).describe('running totals, highest revenue first'),
      views: z.array(
        z.object({
          view: z.string(),
          topic: z.string().nullable(),
          status: z.string().describe('as GET /health reports the view'),
          lag: count.nullable(),
          lastWriteAt: z.string().nullable().describe('when the view last stored a position; null before its first record'),
        }),
      ),
      services: z
        .array(
          z.object({
            name: z.string(),
            state: z.enum(['ready', 'not-ready', 'down', 'not-started']),
            lag: count.nullable(),
            restarts: count,
            uptimeSeconds: count.nullable(),
          }),
        )
        .describe("the operations table: each watched service's readiness, lag and restarts (empty unless DASHBOARD_SERVICES is set)"),
    }),
  ),
);

/** The data of a `problem` event: the snapshot could not be read this time. */
export const DashboardProblemModel = apiModel('DashboardProblem', z.object({ error: z.string() }));
