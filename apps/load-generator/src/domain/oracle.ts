import {
  ANALYTICS_DIMENSIONS,
  FRAUD_RULES,
  REJECTION_CODES,
  UNKNOWN_CHANNEL,
  type Address,
  type AnalyticsDimension,
  type FraudRule,
  type RejectionCode,
  type UserRecord,
  type VerdictStatus,
} from '@shop/contracts';
import {
  AMOUNT_MAX_CENTS,
  AMOUNT_WINDOW_MS,
  ANALYTICS_WINDOWS,
  LARGE_ORDER_CENTS,
  NEW_ACCOUNT_MS,
  QUANTITY_RANGE,
  SUPPORTED_CURRENCIES,
  UNIT_PRICE_RANGE,
  VELOCITY_MAX_ORDERS,
  VELOCITY_WINDOW_MS,
  isoOf,
  windowStart,
  type AnalyticsTumblingWindow,
} from './rules';
import type { OrderBody } from './scenario';

/**
 * The oracle: from the scenario, what every view must end up holding, by the rules of docs/services.md.
 * Pure. It applies the rules to every order (it does not trust the scenario's intent labels), so planted
 * patterns and any accidental interaction between them are both accounted for.
 *
 * One reading of the spec had to be chosen: for an unknown user only `unknown-user` (and the rules that do
 * not depend on the user: quantity, price, total, currency) apply; `user-suspended` and the user-address
 * half of `no-shipping-address` need a user. The scenario never sends an unknown user's order without an
 * address, so only the `user-suspended` part of that choice is observable (and it never is: there is no
 * such user to be suspended).
 */

export const ORACLE_FORMAT = 'shop-oracle/v1';

export type Verdict =
  | { readonly status: Extract<VerdictStatus, 'validated'>; readonly reasons: readonly [] }
  | { readonly status: Extract<VerdictStatus, 'rejected'>; readonly reasons: readonly RejectionCode[] };

export interface ExpectedAlert {
  readonly alertId: string;
  readonly rule: FraudRule;
  readonly userId: string;
  /** The order of a per-order alert; null for window alerts (which order crosses depends on processing order). */
  readonly orderId: string | null;
  /** Window alerts: the window's start (ISO) and the user's validated orders in it (one of them is in the alert). */
  readonly windowStart: string | null;
  readonly candidateOrderIds: readonly string[];
}

export interface Rollup {
  readonly count: number;
  readonly revenueCents: number;
}

export type RollupTable = Readonly<Record<string, Rollup>>;

export interface AnalyticsTotals {
  readonly validatedOrders: number;
  readonly rejectedOrders: number;
  readonly revenueCents: number;
  readonly shipments: number;
  readonly alerts: number;
  readonly alertsByRule: Readonly<Record<FraudRule, number>>;
  /** count = orders, revenue = Σ totalCents. */
  readonly byRegion: RollupTable;
  /** Like byRegion; an order without a channel counts under UNKNOWN_CHANNEL. */
  readonly byChannel: RollupTable;
  /** count = Σ quantity, revenue = Σ quantity × unitPriceCents. */
  readonly byProduct: RollupTable;
  readonly byCategory: RollupTable;
}

/** windows[size][dimension][windowStart ISO][key] */
export type AnalyticsWindows = Readonly<
  Record<AnalyticsTumblingWindow, Readonly<Record<AnalyticsDimension, Readonly<Record<string, RollupTable>>>>>
>;

/**
 * customer-profiles' GET /customers/:id of a user with orders, as far as the log decides it: validatedAt and a
 * shipment's createdAt are the order's placedAt (order-validation, shipping), so the last order and shipment are
 * known; a window alert's order and time depend on processing order, so alerts are compared by count and rule.
 */
export interface ExpectedCustomer {
  readonly orderCount: number;
  readonly lifetimeValue: readonly { readonly currency: string; readonly totalCents: number }[];
  readonly lastOrder: {
    readonly orderId: string;
    readonly totalCents: number;
    readonly currency: string;
    readonly validatedAt: string;
  } | null;
  readonly lastShipment: { readonly orderId: string; readonly createdAt: string } | null;
  readonly openFraudAlerts: number;
  /** Sorted. */
  readonly alertRules: readonly FraudRule[];
}

export interface Oracle {
  readonly format: typeof ORACLE_FORMAT;
  readonly seed: number | null;
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly counts: { readonly orders: number; readonly validated: number; readonly rejected: number; readonly users: number };
  readonly verdicts: Readonly<Record<string, Verdict>>;
  readonly shipments: Readonly<Record<string, Address>>;
  readonly alerts: readonly ExpectedAlert[];
  /** By user id: every user with at least one order who is known at the end or has a validated order (a deleted user's profile keeps its orders). */
  readonly customers: Readonly<Record<string, ExpectedCustomer>>;
  readonly analytics: { readonly totals: AnalyticsTotals; readonly windows: AnalyticsWindows };
  /** Requests that must get 400; their orderIds (when well-formed) must never become orders. */
  readonly badRequests: readonly { readonly label: string; readonly orderId: string | null }[];
}

export interface OracleInput {
  readonly seed?: number;
  readonly startsAt?: string;
  readonly endsAt?: string;
  /** The users before the first order. */
  readonly users: readonly UserRecord[];
  readonly orders: readonly { readonly body: OrderBody }[];
  /**
   * Users changed between two orders: each order meets the user as the changes before it in `orders` left them
   * (the load generator puts each change on the topic after the earlier orders were accepted and before the
   * later ones are sent; every service joins each order with the user as of its acceptance).
   */
  readonly userChanges?: readonly { readonly beforeOrderId: string; readonly userId: string; readonly record: UserRecord | null }[];
  readonly badRequests?: readonly { readonly label: string; readonly orderId: string | null }[];
}

const ms = (iso: string) => Date.parse(iso);

function userAddress(user: UserRecord): Address | null {
  if (!user.address_line1 || !user.city || !user.postal_code) return null;
  return { line1: user.address_line1, city: user.city, postalCode: user.postal_code, country: user.country };
}

/** order-validation's rules for one order: the failing codes, in the spec's order (empty = valid). */
export function rejectionReasons(order: OrderBody, user: UserRecord | undefined): RejectionCode[] {
  const failing = new Set<RejectionCode>();
  if (!user) failing.add('unknown-user');
  if (user && user.status !== 'active') failing.add('user-suspended');
  if (!order.shippingAddress && !(user && userAddress(user))) failing.add('no-shipping-address');
  if (order.lines.some((l) => !(Number.isInteger(l.quantity) && l.quantity >= QUANTITY_RANGE.min && l.quantity <= QUANTITY_RANGE.max))) {
    failing.add('invalid-quantity');
  }
  if (order.lines.some((l) => !(l.unitPriceCents >= UNIT_PRICE_RANGE.min && l.unitPriceCents <= UNIT_PRICE_RANGE.max)))
    failing.add('invalid-price');
  if (order.totalCents !== order.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0)) failing.add('total-mismatch');
  if (!SUPPORTED_CURRENCIES.includes(order.currency)) failing.add('unsupported-currency');
  return REJECTION_CODES.filter((code) => failing.has(code));
}

/** Where a validated order ships: its own address, else the user's (country = the user's). */
export function resolvedAddress(order: OrderBody, user: UserRecord): Address {
  const address = order.shippingAddress ?? userAddress(user);
  if (!address) throw new Error(`order ${order.orderId} is valid but has no address`);
  return { line1: address.line1, city: address.city, postalCode: address.postalCode, country: address.country };
}

function add(table: Record<string, { count: number; revenueCents: number }>, key: string, count: number, revenueCents: number): void {
  const row = (table[key] ??= { count: 0, revenueCents: 0 });
  row.count += count;
  row.revenueCents += revenueCents;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** customer-profiles' rules (apps/customer-profiles/src/customers/domain/customer-profile.ts) on the oracle's orders. */
function expectedCustomers(
  users: ReadonlyMap<string, UserRecord>,
  orders: readonly { readonly body: OrderBody }[],
  validated: readonly { readonly order: OrderBody; readonly at: number }[],
  alerts: readonly ExpectedAlert[],
): Record<string, ExpectedCustomer> {
  const validatedUsers = new Set(validated.map((v) => v.order.userId));
  const ids = [...new Set(orders.map((o) => o.body.userId).filter((id) => users.has(id) || validatedUsers.has(id)))].sort();
  return Object.fromEntries(
    ids.map((userId) => {
      // Latest placedAt last; equal instants by order id, as the service orders them.
      const own = validated
        .filter((v) => v.order.userId === userId)
        .sort((a, b) => a.at - b.at || (a.order.orderId < b.order.orderId ? -1 : a.order.orderId > b.order.orderId ? 1 : 0));
      const byCurrency = new Map<string, number>();
      for (const v of own) byCurrency.set(v.order.currency, (byCurrency.get(v.order.currency) ?? 0) + v.order.totalCents);
      const last = own.at(-1)?.order;
      const rules = alerts.filter((a) => a.userId === userId).map((a) => a.rule);
      const customer: ExpectedCustomer = {
        orderCount: own.length,
        lifetimeValue: [...byCurrency.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([currency, totalCents]) => ({ currency, totalCents })),
        lastOrder: last
          ? { orderId: last.orderId, totalCents: last.totalCents, currency: last.currency, validatedAt: isoOf(ms(last.placedAt)) }
          : null,
        lastShipment: last ? { orderId: last.orderId, createdAt: isoOf(ms(last.placedAt)) } : null,
        openFraudAlerts: rules.length,
        alertRules: [...rules].sort(),
      };
      return [userId, customer];
    }),
  );
}

export function computeOracle(input: OracleInput): Oracle {
  const users = new Map(input.users.map((u) => [u.id, u]));
  const changesBefore = new Map<string, { userId: string; record: UserRecord | null }[]>();
  for (const change of input.userChanges ?? [])
    changesBefore.set(change.beforeOrderId, [...(changesBefore.get(change.beforeOrderId) ?? []), change]);
  const verdicts: Record<string, Verdict> = {};
  const shipments: Record<string, Address> = {};
  const validated: { order: OrderBody; user: UserRecord; address: Address; at: number }[] = [];
  let rejected = 0;

  for (const { body } of input.orders) {
    if (verdicts[body.orderId]) throw new Error(`duplicate orderId ${body.orderId} in the scenario`);
    for (const change of changesBefore.get(body.orderId) ?? []) {
      if (change.record === null) users.delete(change.userId);
      else users.set(change.userId, change.record);
    }
    const user = users.get(body.userId);
    const reasons = rejectionReasons(body, user);
    if (reasons.length > 0 || !user) {
      verdicts[body.orderId] = { status: 'rejected', reasons };
      rejected += 1;
      continue;
    }
    const address = resolvedAddress(body, user);
    verdicts[body.orderId] = { status: 'validated', reasons: [] };
    shipments[body.orderId] = address;
    validated.push({ order: body, user, address, at: ms(body.placedAt) });
  }

  // fraud-detection, on validated orders only.
  const alerts: ExpectedAlert[] = [];
  const windows = new Map<string, { rule: FraudRule; userId: string; start: number; orders: typeof validated }>();
  for (const v of validated) {
    for (const [rule, size] of [
      ['velocity', VELOCITY_WINDOW_MS],
      ['amount', AMOUNT_WINDOW_MS],
    ] as const) {
      const start = windowStart(v.at, size);
      const key = `${v.user.id}|${rule}|${start}`;
      const entry = windows.get(key) ?? { rule, userId: v.user.id, start, orders: [] };
      entry.orders.push(v);
      windows.set(key, entry);
    }
    if (v.address.country !== v.user.country) {
      alerts.push({
        alertId: `${v.order.orderId}:country-mismatch`,
        rule: 'country-mismatch',
        userId: v.user.id,
        orderId: v.order.orderId,
        windowStart: null,
        candidateOrderIds: [v.order.orderId],
      });
    }
    if (v.order.totalCents >= LARGE_ORDER_CENTS && v.at - ms(v.user.created_at) < NEW_ACCOUNT_MS) {
      alerts.push({
        alertId: `${v.order.orderId}:new-account-large-order`,
        rule: 'new-account-large-order',
        userId: v.user.id,
        orderId: v.order.orderId,
        windowStart: null,
        candidateOrderIds: [v.order.orderId],
      });
    }
  }
  for (const w of windows.values()) {
    const fires =
      w.rule === 'velocity'
        ? w.orders.length > VELOCITY_MAX_ORDERS
        : w.orders.reduce((s, v) => s + v.order.totalCents, 0) > AMOUNT_MAX_CENTS;
    if (!fires) continue;
    const startIso = isoOf(w.start);
    alerts.push({
      alertId: `${w.userId}:${w.rule}:${startIso}`,
      rule: w.rule,
      userId: w.userId,
      orderId: null,
      windowStart: startIso,
      candidateOrderIds: [...w.orders]
        .sort((a, b) => a.at - b.at || a.order.orderId.localeCompare(b.order.orderId))
        .map((v) => v.order.orderId),
    });
  }
  alerts.sort((a, b) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0));

  // analytics
  const byRegion: Record<string, { count: number; revenueCents: number }> = {};
  const byChannel: Record<string, { count: number; revenueCents: number }> = {};
  const byProduct: Record<string, { count: number; revenueCents: number }> = {};
  const byCategory: Record<string, { count: number; revenueCents: number }> = {};
  const win: Record<string, Record<string, Record<string, Record<string, { count: number; revenueCents: number }>>>> = {};
  for (const size of Object.keys(ANALYTICS_WINDOWS) as AnalyticsTumblingWindow[]) {
    win[size] = Object.fromEntries(ANALYTICS_DIMENSIONS.map((d) => [d, {}]));
  }
  let revenue = 0;
  for (const v of validated) {
    revenue += v.order.totalCents;
    add(byRegion, v.user.region, 1, v.order.totalCents);
    add(byChannel, v.order.channel ?? UNKNOWN_CHANNEL, 1, v.order.totalCents);
    for (const l of v.order.lines) {
      add(byProduct, l.productId, l.quantity, l.quantity * l.unitPriceCents);
      add(byCategory, l.category, l.quantity, l.quantity * l.unitPriceCents);
    }
    for (const [size, sizeMs] of Object.entries(ANALYTICS_WINDOWS)) {
      const startIso = isoOf(windowStart(v.at, sizeMs));
      const dims = win[size] as Record<string, Record<string, Record<string, { count: number; revenueCents: number }>>>;
      add(
        ((dims['region'] as Record<string, Record<string, { count: number; revenueCents: number }>>)[startIso] ??= {}),
        v.user.region,
        1,
        v.order.totalCents,
      );
      add(
        ((dims['channel'] as Record<string, Record<string, { count: number; revenueCents: number }>>)[startIso] ??= {}),
        v.order.channel ?? UNKNOWN_CHANNEL,
        1,
        v.order.totalCents,
      );
      for (const l of v.order.lines) {
        add(
          ((dims['product'] as Record<string, Record<string, { count: number; revenueCents: number }>>)[startIso] ??= {}),
          l.productId,
          l.quantity,
          l.quantity * l.unitPriceCents,
        );
        add(
          ((dims['category'] as Record<string, Record<string, { count: number; revenueCents: number }>>)[startIso] ??= {}),
          l.category,
          l.quantity,
          l.quantity * l.unitPriceCents,
        );
      }
    }
  }
  const alertsByRule = Object.fromEntries(FRAUD_RULES.map((rule) => [rule, alerts.filter((a) => a.rule === rule).length])) as Record<
    FraudRule,
    number
  >;
  const windowsSorted = Object.fromEntries(
    Object.entries(win).map(([size, dims]) => [
      size,
      Object.fromEntries(
        Object.entries(dims).map(([d, starts]) => [
          d,
          sortedRecord(Object.fromEntries(Object.entries(starts).map(([s, t]) => [s, sortedRecord(t)]))),
        ]),
      ),
    ]),
  ) as unknown as AnalyticsWindows;

  return {
    format: ORACLE_FORMAT,
    seed: input.seed ?? null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    counts: { orders: input.orders.length, validated: validated.length, rejected, users: input.users.length },
    verdicts,
    shipments,
    alerts,
    customers: expectedCustomers(users, input.orders, validated, alerts),
    analytics: {
      totals: {
        validatedOrders: validated.length,
        rejectedOrders: rejected,
        revenueCents: revenue,
        shipments: validated.length,
        alerts: alerts.length,
        alertsByRule,
        byRegion: sortedRecord(byRegion),
        byChannel: sortedRecord(byChannel),
        byProduct: sortedRecord(byProduct),
        byCategory: sortedRecord(byCategory),
      },
      windows: windowsSorted,
    },
    badRequests: (input.badRequests ?? []).map((b) => ({ label: b.label, orderId: b.orderId })),
  };
}
