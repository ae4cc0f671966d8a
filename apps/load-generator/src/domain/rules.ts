/**
 * The business rules of docs/services.md, as constants. Pure: the scenario plants traffic around them and
 * the oracle applies them.
 */

/** order-validation's rejection codes, in the order of the spec's table. */
export const REJECTION_CODES = [
  'unknown-user',
  'user-suspended',
  'no-shipping-address',
  'invalid-quantity',
  'invalid-price',
  'total-mismatch',
  'unsupported-currency',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export const SUPPORTED_CURRENCIES: readonly string[] = ['EUR', 'USD', 'GBP'];
export const QUANTITY_RANGE = { min: 1, max: 100 } as const;
export const UNIT_PRICE_RANGE = { min: 1, max: 1_000_000 } as const;

/** fraud-detection's rules. */
export const FRAUD_RULES = ['velocity', 'amount', 'country-mismatch', 'new-account-large-order'] as const;
export type FraudRule = (typeof FRAUD_RULES)[number];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** velocity: more than 5 validated orders of a user in one 10-minute tumbling window (UTC-aligned). */
export const VELOCITY_WINDOW_MS = 10 * MINUTE_MS;
export const VELOCITY_MAX_ORDERS = 5;
/** amount: a user's validated orders in one 1-hour tumbling window total more than 500,000 cents. */
export const AMOUNT_WINDOW_MS = HOUR_MS;
export const AMOUNT_MAX_CENTS = 500_000;
/** new-account-large-order: total ≥ 100,000 cents and the account is less than 24 h old at placedAt. */
export const LARGE_ORDER_CENTS = 100_000;
export const NEW_ACCOUNT_MS = DAY_MS;

/** analytics' tumbling windows. */
export const ANALYTICS_WINDOWS = { '1m': MINUTE_MS, '1h': HOUR_MS } as const;
export type AnalyticsWindowSize = keyof typeof ANALYTICS_WINDOWS;
export const ANALYTICS_DIMENSIONS = ['region', 'product', 'category'] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

/** Start of the UTC-aligned tumbling window of `sizeMs` that holds `ms`. */
export function windowStart(ms: number, sizeMs: number): number {
  return Math.floor(ms / sizeMs) * sizeMs;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
