import { timestampSchema } from '@shop/contracts';
import { z } from 'zod';
import { apiModel } from '../openapi/api-schema';
import { schemaFor } from '../openapi/api-shapes';
import type { HealthReport, Probe, ViewCheck } from './health.report';
import type { LiveReport } from './health.controller';

/** The bodies of GET /health, /health/ready and /health/live as OpenAPI shows them (checked against the types). */

const count = z.number().int().nonnegative();
const ms = count.describe('how long the check took');

const probeSchema = schemaFor<Probe>()(
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('up'), ms }),
    z.object({ status: z.literal('down'), ms, error: z.string() }),
  ]),
);

const viewCheckSchema = schemaFor<ViewCheck>()(
  z.object({
    view: z.string(),
    topic: z.string().nullable().describe('null when the status could not be read'),
    status: z
      .enum(['caught-up', 'catching-up', 'starting', 'rebuilding', 'stopped', 'crashed', 'unknown'])
      .describe('caught-up: running and at most maxLag records behind its topic'),
    lag: count.nullable().describe('records behind the topic, all partitions together; null when unknown'),
    maxLag: count.describe('HEALTH_MAX_LAG'),
    partitions: z.array(
      z.object({
        partition: count,
        nextOffset: count,
        highWatermark: count,
        lag: count,
        updatedAt: timestampSchema.nullable().describe('when the view last stored this position'),
      }),
    ),
    error: z.string().optional(),
  }),
);

export const HealthReportModel = apiModel(
  'HealthReport',
  schemaFor<HealthReport>()(
    z.object({
      status: z.enum(['ok', 'unavailable']),
      checks: z.object({ kafka: probeSchema, database: probeSchema, views: z.array(viewCheckSchema) }),
    }),
  ),
);

export const LiveReportModel = apiModel(
  'LiveReport',
  schemaFor<LiveReport>()(
    z.object({
      status: z.literal('live'),
      service: z.string(),
      pid: z.number().int().positive(),
      startedAt: timestampSchema,
      uptimeSeconds: count,
    }),
  ),
);
