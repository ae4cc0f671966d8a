import {
  RejectionCodes,
  type Address,
  type OrderLine,
  type OrderPlaced,
  type RejectionCode,
  type RejectionReason,
  type VerdictStatus,
} from '@shop/contracts';

/**
 * The validation rules of docs/services.md ("order-validation"), pure: an order and the user as the users
 * view holds it (undefined = not in the view) in, a verdict out. Every failing rule is one reason.
 */

/** What the rules need of a user (a row of the users view). */
export interface UserSnapshot {
  readonly id: string;
  readonly status: string;
  readonly country: string;
  readonly addressLine1: string | null;
  readonly city: string | null;
  readonly postalCode: string | null;
}

export const SUPPORTED_CURRENCIES: readonly string[] = ['EUR', 'USD', 'GBP'];
export const QUANTITY_RANGE = { min: 1, max: 100 } as const;
export const UNIT_PRICE_RANGE = { min: 1, max: 1_000_000 } as const;

export type Verdict =
  | { readonly status: Extract<VerdictStatus, 'validated'>; readonly shippingAddress: Address }
  | { readonly status: Extract<VerdictStatus, 'rejected'>; readonly reasons: readonly RejectionReason[] };

/** Reason messages are at most 500 characters (rejectionReasonSchema). */
const MAX_MESSAGE = 500;
const MAX_LISTED_LINES = 5;

function present(value: string | null): value is string {
  return value !== null && value.trim().length > 0;
}

/** The user's address on file, when line1, city and postal code are all there (country = the user's country). */
export function userAddress(user: UserSnapshot): Address | undefined {
  if (!present(user.addressLine1) || !present(user.city) || !present(user.postalCode)) return undefined;
  return { line1: user.addressLine1, city: user.city, postalCode: user.postalCode, country: user.country };
}

function inRange(value: number, range: { readonly min: number; readonly max: number }): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

function describeLines(bad: readonly { index: number; line: OrderLine; value: number }[]): string {
  const listed = bad.slice(0, MAX_LISTED_LINES).map((b) => `line ${b.index} (${b.line.productId}): ${b.value}`);
  const more = bad.length > MAX_LISTED_LINES ? `, and ${bad.length - MAX_LISTED_LINES} more` : '';
  return `${listed.join(', ')}${more}`;
}

function reason(code: RejectionCode, message: string): RejectionReason {
  return { code, message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message };
}

/**
 * Σ quantity × unitPriceCents, exact (BigInt: 100 lines × 10,000 × 10^11 overflows a double's integers).
 * The contracts only allow integers; should a fraction get here anyway, the sum is a plain number.
 */
export function linesTotalCents(lines: readonly OrderLine[]): bigint | number {
  if (!lines.every((l) => Number.isInteger(l.quantity) && Number.isInteger(l.unitPriceCents))) {
    return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  }
  return lines.reduce((sum, line) => sum + BigInt(line.quantity) * BigInt(line.unitPriceCents), 0n);
}

function sameAmount(total: number, expected: bigint | number): boolean {
  return typeof expected === 'bigint' ? Number.isInteger(total) && BigInt(total) === expected : total === expected;
}

/**
 * Every failing rule, in the order of the table in docs/services.md.
 * - An unknown user fails `unknown-user` only (it has no status to be suspended), and `no-shipping-address`
 *   too when the order brings no address (there is no user address to fall back on).
 * - A user address counts when line1, city and postal code are all non-blank.
 */
export function rejectionReasons(order: OrderPlaced, user: UserSnapshot | undefined): RejectionReason[] {
  const reasons: RejectionReason[] = [];
  if (!user) {
    reasons.push(reason(RejectionCodes.unknownUser, `user "${order.userId}" is not in the users view`));
  } else if (user.status !== 'active') {
    reasons.push(reason(RejectionCodes.userSuspended, `user "${order.userId}" is ${user.status}, not active`));
  }
  if (!order.shippingAddress && !(user && userAddress(user))) {
    reasons.push(
      reason(
        RejectionCodes.noShippingAddress,
        user
          ? `the order has no shipping address and user "${order.userId}" has no complete address (line 1, city, postal code)`
          : `the order has no shipping address and there is no user to take one from`,
      ),
    );
  }
  const badQuantities = order.lines
    .map((line, index) => ({ index, line, value: line.quantity }))
    .filter((b) => !inRange(b.value, QUANTITY_RANGE));
  if (badQuantities.length > 0) {
    reasons.push(
      reason(
        RejectionCodes.invalidQuantity,
        `every quantity must be ${QUANTITY_RANGE.min} to ${QUANTITY_RANGE.max}: ${describeLines(badQuantities)}`,
      ),
    );
  }
  const badPrices = order.lines
    .map((line, index) => ({ index, line, value: line.unitPriceCents }))
    .filter((b) => !inRange(b.value, UNIT_PRICE_RANGE));
  if (badPrices.length > 0) {
    reasons.push(
      reason(
        RejectionCodes.invalidPrice,
        `every unit price must be ${UNIT_PRICE_RANGE.min} to ${UNIT_PRICE_RANGE.max.toLocaleString('en-US')} cents: ${describeLines(badPrices)}`,
      ),
    );
  }
  const expectedTotal = linesTotalCents(order.lines);
  if (!sameAmount(order.totalCents, expectedTotal)) {
    reasons.push(
      reason(
        RejectionCodes.totalMismatch,
        `totalCents is ${order.totalCents} but the lines add up to ${expectedTotal} (Σ quantity × unitPriceCents)`,
      ),
    );
  }
  if (!SUPPORTED_CURRENCIES.includes(order.currency)) {
    reasons.push(
      reason(RejectionCodes.unsupportedCurrency, `currency ${order.currency} is not supported (${SUPPORTED_CURRENCIES.join(', ')})`),
    );
  }
  return reasons;
}

/**
 * The verdict on an order. Validated orders ship to the order's own address, else to the user's address on
 * file (with the user's country).
 */
export function evaluateOrder(order: OrderPlaced, user: UserSnapshot | undefined): Verdict {
  const reasons = rejectionReasons(order, user);
  const shippingAddress = order.shippingAddress ?? (user ? userAddress(user) : undefined);
  if (reasons.length > 0 || !shippingAddress) {
    return { status: 'rejected', reasons };
  }
  return { status: 'validated', shippingAddress };
}
