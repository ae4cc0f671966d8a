import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { addressSchema, analyticsDimensionSchema, fraudRuleSchema, rejectionCodeSchema, verdictStatusSchema } from '@shop/contracts';

/**
 * The oracle the load generator writes to ORACLE_OUT (format shop-oracle/v1, see
 * apps/load-generator/src/domain/oracle.ts): what every view must end up holding. Read back and checked
 * here, since an app may not import another app.
 */
const rollupSchema = z.object({ count: z.number().int(), revenueCents: z.number().int() });
const tableSchema = z.record(z.string(), rollupSchema);
const dimensionsSchema = z.record(analyticsDimensionSchema, z.record(z.string(), tableSchema));

export const oracleSchema = z.object({
  format: z.literal('shop-oracle/v1'),
  seed: z.number().nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  counts: z.object({ orders: z.number(), validated: z.number(), rejected: z.number(), users: z.number() }),
  verdicts: z.record(z.string(), z.object({ status: verdictStatusSchema, reasons: z.array(rejectionCodeSchema) })),
  shipments: z.record(z.string(), addressSchema),
  alerts: z.array(
    z.object({
      alertId: z.string(),
      rule: fraudRuleSchema,
      userId: z.string(),
      orderId: z.string().nullable(),
      windowStart: z.string().nullable(),
      candidateOrderIds: z.array(z.string()),
    }),
  ),
  customers: z.record(
    z.string(),
    z.object({
      orderCount: z.number().int(),
      lifetimeValue: z.array(z.object({ currency: z.string(), totalCents: z.number().int() })),
      lastOrder: z.object({ orderId: z.string(), totalCents: z.number().int(), currency: z.string(), validatedAt: z.string() }).nullable(),
      lastShipment: z.object({ orderId: z.string(), createdAt: z.string() }).nullable(),
      openFraudAlerts: z.number().int(),
      alertRules: z.array(fraudRuleSchema),
    }),
  ),
  analytics: z.object({
    totals: z.object({
      validatedOrders: z.number(),
      rejectedOrders: z.number(),
      revenueCents: z.number(),
      shipments: z.number(),
      alerts: z.number(),
      alertsByRule: z.record(fraudRuleSchema, z.number()),
      byRegion: tableSchema,
      byChannel: tableSchema,
      byProduct: tableSchema,
      byCategory: tableSchema,
    }),
    windows: z.object({ '1m': dimensionsSchema, '1h': dimensionsSchema }),
  }),
  badRequests: z.array(z.object({ label: z.string(), orderId: z.string().nullable() })),
});

export type OracleFile = z.infer<typeof oracleSchema>;
export type RollupTable = z.infer<typeof tableSchema>;

export async function readOracle(file: string): Promise<OracleFile> {
  const parsed = oracleSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file} is not a shop-oracle/v1 file: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}
