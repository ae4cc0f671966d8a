import { z } from 'zod';

/**
 * The closed sets of words that services, the load generator's oracle and the system tests must agree on.
 * Each is defined here only: a service that adds a word changes this file, and every user sees it.
 */

/** fraud-detection's rules: the `rule` of every FraudAlertRaised (docs/services.md, "fraud-detection"). */
export const fraudRuleSchema = z.enum(['velocity', 'amount', 'country-mismatch', 'new-account-large-order']);
export type FraudRule = z.infer<typeof fraudRuleSchema>;
export const FRAUD_RULES: readonly FraudRule[] = fraudRuleSchema.options;

/**
 * order-validation's rejection codes (the `code` of every OrderRejected reason), by name for the rules'
 * code. The order is the spec's table, which is also the order of an order's reasons.
 */
export const RejectionCodes = {
  unknownUser: 'unknown-user',
  userSuspended: 'user-suspended',
  noShippingAddress: 'no-shipping-address',
  invalidQuantity: 'invalid-quantity',
  invalidPrice: 'invalid-price',
  totalMismatch: 'total-mismatch',
  unsupportedCurrency: 'unsupported-currency',
} as const;
export const rejectionCodeSchema = z.enum(RejectionCodes);
export type RejectionCode = z.infer<typeof rejectionCodeSchema>;
export const REJECTION_CODES: readonly RejectionCode[] = rejectionCodeSchema.options;

/** The outcome of validating an order (OrderValidated / OrderRejected on `order-validations`). */
export const verdictStatusSchema = z.enum(['validated', 'rejected']);
export type VerdictStatus = z.infer<typeof verdictStatusSchema>;

/** An order as order-validation's API shows it: accepted, then validated or rejected. */
export const orderStatusSchema = z.enum(['placed', ...verdictStatusSchema.options]);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** analytics' roll-up windows: tumbling 1 minute and 1 hour (event time), and the running totals. */
export const analyticsWindowSizeSchema = z.enum(['1m', '1h', 'total']);
export type AnalyticsWindowSize = z.infer<typeof analyticsWindowSizeSchema>;
export const ANALYTICS_WINDOW_SIZES: readonly AnalyticsWindowSize[] = analyticsWindowSizeSchema.options;

/**
 * Where an order was placed (OrderPlaced v2 and OrderValidated v2, optional: `POST /orders` may omit it, and
 * v1 events never had it). Adding a word is a compatible change; removing one breaks readers of older records.
 */
export const orderChannelSchema = z
  .enum(['web', 'mobile', 'api'])
  .describe('Where the order was placed; absent when the client did not say.');
export type OrderChannel = z.infer<typeof orderChannelSchema>;
export const ORDER_CHANNELS: readonly OrderChannel[] = orderChannelSchema.options;

/**
 * analytics' channel of an order that did not say: every OrderValidated v1 (written before channels existed) and
 * v2 orders placed without one. Not 'web': a guess would make the per-channel numbers look surer than they are.
 * The load generator's oracle expects it too.
 */
export const UNKNOWN_CHANNEL = 'unknown';

/** What analytics rolls validated orders up by. */
export const analyticsDimensionSchema = z.enum(['region', 'product', 'category', 'channel']);
export type AnalyticsDimension = z.infer<typeof analyticsDimensionSchema>;
export const ANALYTICS_DIMENSIONS: readonly AnalyticsDimension[] = analyticsDimensionSchema.options;
