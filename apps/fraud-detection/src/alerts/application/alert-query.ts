import { z } from 'zod';
import { FRAUD_RULES, fraudRuleSchema, idSchema } from '@shop/contracts';
import { pageQueryFields } from '@shop/nest-platform';
import type { AlertQuery } from '../domain/alert';

export const DEFAULT_ALERT_LIMIT = 50;
export const MAX_ALERT_LIMIT = 200;

// The shared paging fields in the same object as the filters, so that every problem is listed at once.
const alertQuerySchema = z.object({
  userId: idSchema.optional(),
  rule: fraudRuleSchema.optional(),
  ...pageQueryFields({ defaultLimit: DEFAULT_ALERT_LIMIT, maxLimit: MAX_ALERT_LIMIT }),
});

const PARAMS = ['userId', 'rule', 'limit', 'offset'] as const;

export type AlertQueryResult = { readonly ok: true; readonly query: AlertQuery } | { readonly ok: false; readonly problems: string[] };

function problemOf(issue: z.core.$ZodIssue): string {
  const field = String(issue.path[0] ?? 'query');
  if (issue.code === 'invalid_type') return `${field} must be given once`;
  if (field === 'userId') return 'userId must be a user id (letters, digits, "_" and "-", at most 64)';
  if (field === 'rule') return `rule must be one of ${FRAUD_RULES.join(', ')}`;
  return issue.message;
}

/** Reads the query string (strings from the URL); every problem is listed. */
export function parseAlertQuery(query: Readonly<Record<string, unknown>>): AlertQueryResult {
  const repeated = PARAMS.filter((name) => Array.isArray(query[name])).map((name) => `${name} must be given once`);
  if (repeated.length > 0) return { ok: false, problems: repeated };
  const parsed = alertQuerySchema.safeParse({
    userId: query['userId'],
    rule: query['rule'],
    limit: query['limit'],
    offset: query['offset'],
  });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(problemOf) };
  const { userId, rule, limit, offset } = parsed.data;
  return { ok: true, query: { ...(userId !== undefined ? { userId } : {}), ...(rule !== undefined ? { rule } : {}), limit, offset } };
}

/** An alert is looked up by its alertId or by its readable event id (`<userId>:velocity:<ISO>`). */
export const alertReferenceSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export function isAlertReference(value: string): boolean {
  return alertReferenceSchema.safeParse(value).success;
}
