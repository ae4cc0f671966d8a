import type { FraudRule } from '@shop/contracts';
import type { CustomerFraudAlert, CustomerOrder, CustomerShipment } from './customer-facts';

/**
 * The profile of one user, pure: computed from the user's row of the users view and the facts kept of
 * order-validations, shipments and fraud-alerts (customer-facts.ts).
 */

/** What the users view holds of the user; null in a profile once the user is deleted (or not seen yet). */
export interface CustomerUser {
  readonly name: string;
  readonly email: string;
  readonly country: string;
}

export interface CustomerProfile {
  readonly userId: string;
  readonly user: CustomerUser | null;
  /** Validated orders only. */
  readonly orderCount: number;
  /** Sum of the validated orders' totals, per currency (ordered by currency): currencies are never added up. */
  readonly lifetimeValue: readonly { readonly currency: string; readonly totalCents: number }[];
  readonly lastOrder: {
    readonly orderId: string;
    readonly totalCents: number;
    readonly currency: string;
    readonly validatedAt: string;
  } | null;
  readonly lastShipment: { readonly shipmentId: string; readonly orderId: string; readonly createdAt: string } | null;
  /** Every alert is open: no event closes one. Ordered by raisedAt, then alert id. */
  readonly openFraudAlerts: {
    readonly count: number;
    readonly alerts: readonly { readonly alertId: string; readonly orderId: string; readonly rule: FraudRule; readonly raisedAt: string }[];
  };
}

export interface CustomerFacts {
  readonly userId: string;
  readonly user: CustomerUser | undefined;
  readonly orders: readonly CustomerOrder[];
  readonly shipments: readonly CustomerShipment[];
  readonly alerts: readonly CustomerFraudAlert[];
}

/** Earlier first; equal instants by id, so that "the last" is one and the same on every replay. */
function chronological<T>(items: readonly T[], time: (item: T) => string, id: (item: T) => string): T[] {
  return [...items].sort((a, b) => Date.parse(time(a)) - Date.parse(time(b)) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

/** The user's profile; undefined when nothing is known of the user id (GET /customers/:id answers 404). */
export function customerProfileOf(facts: CustomerFacts): CustomerProfile | undefined {
  const { userId, user, orders, shipments, alerts } = facts;
  if (!user && orders.length === 0 && shipments.length === 0 && alerts.length === 0) return undefined;

  const byCurrency = new Map<string, number>();
  for (const order of orders) byCurrency.set(order.currency, (byCurrency.get(order.currency) ?? 0) + order.totalCents);
  const lastOrder = chronological(
    orders,
    (o) => o.validatedAt,
    (o) => o.orderId,
  ).at(-1);
  const lastShipment = chronological(
    shipments,
    (s) => s.createdAt,
    (s) => s.orderId,
  ).at(-1);
  const openAlerts = chronological(
    alerts,
    (a) => a.raisedAt,
    (a) => a.alertId,
  );

  return {
    userId,
    user: user ? { name: user.name, email: user.email, country: user.country } : null,
    orderCount: orders.length,
    lifetimeValue: [...byCurrency.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, totalCents]) => ({ currency, totalCents })),
    lastOrder: lastOrder
      ? { orderId: lastOrder.orderId, totalCents: lastOrder.totalCents, currency: lastOrder.currency, validatedAt: lastOrder.validatedAt }
      : null,
    lastShipment: lastShipment
      ? { shipmentId: lastShipment.shipmentId, orderId: lastShipment.orderId, createdAt: lastShipment.createdAt }
      : null,
    openFraudAlerts: {
      count: openAlerts.length,
      alerts: openAlerts.map((a) => ({ alertId: a.alertId, orderId: a.orderId, rule: a.rule, raisedAt: a.raisedAt })),
    },
  };
}
