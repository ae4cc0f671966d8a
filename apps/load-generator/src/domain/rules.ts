import type { AnalyticsWindowSize } from '@shop/contracts';

/**
 * The business rules of docs/services.md, as constants. Pure: the scenario plants traffic around them and
 * the oracle applies them. Their vocabularies (rejection codes, fraud rules, analytics' windows and
 * dimensions) are the contracts'; the thresholds are restated here on purpose, so that the oracle checks
 * the services instead of sharing their code.
 */

export const SUPPORTED_CURRENCIES: readonly string[] = ['EUR', 'USD', 'GBP'];
export const QUANTITY_RANGE = { min: 1, max: 100 } as const;
export const UNIT_PRICE_RANGE = { min: 1, max: 1_000_000 } as const;

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

/** analytics' tumbling windows (its running totals have no length). */
export type AnalyticsTumblingWindow = Exclude<AnalyticsWindowSize, 'total'>;
export const ANALYTICS_WINDOWS: Readonly<Record<AnalyticsTumblingWindow, number>> = { '1m': MINUTE_MS, '1h': HOUR_MS };

/** Start of the UTC-aligned tumbling window of `sizeMs` that holds `ms`. */
export function windowStart(ms: number, sizeMs: number): number {
  return Math.floor(ms / sizeMs) * sizeMs;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
