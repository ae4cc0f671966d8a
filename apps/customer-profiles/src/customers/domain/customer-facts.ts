import type { FraudAlertRaisedEvent, FraudRule, OrderValidatedEvent, OrderVerdictEvent, ShipmentCreatedEvent } from '@shop/contracts';

/**
 * What customer-profiles keeps of each topic, pure: the facts about a user that its profile is computed from
 * (customer-profile.ts). The processors (infra) store them once each, keyed as below.
 */

/** A validated order (rejected ones count for nothing). Key: the order id. */
export interface CustomerOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly totalCents: number;
  readonly currency: string;
  /** The verdict's validatedAt: a rebuild from the log gives the same value. */
  readonly validatedAt: string;
}

/** A shipment of one of the user's orders. Key: the order id (one shipment per order). */
export interface CustomerShipment {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly userId: string;
  readonly createdAt: string;
}

/** A fraud alert on the user. Key: the alert id (an order may raise several, one per rule; see preferredAlert). */
export interface CustomerFraudAlert {
  readonly alertId: string;
  readonly orderId: string;
  readonly userId: string;
  readonly rule: FraudRule;
  readonly raisedAt: string;
}

function firstBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

const isValidated = (verdict: OrderVerdictEvent): verdict is OrderValidatedEvent => verdict.type === 'OrderValidated';

/** The validated orders of a chunk of verdicts, in log order; the first verdict of an order wins (as across chunks). */
export function customerOrdersOf(verdicts: readonly OrderVerdictEvent[]): CustomerOrder[] {
  return firstBy(
    verdicts.filter(isValidated).map(({ payload: p }) => ({
      orderId: p.orderId,
      userId: p.userId,
      totalCents: p.totalCents,
      currency: p.currency,
      validatedAt: p.validatedAt,
    })),
    (o) => o.orderId,
  );
}

/** The shipments of a chunk, one per order (a redelivered ShipmentCreated is the same shipment). */
export function customerShipmentsOf(events: readonly ShipmentCreatedEvent[]): CustomerShipment[] {
  return firstBy(
    events.map(({ payload: p }) => ({ shipmentId: p.shipmentId, orderId: p.orderId, userId: p.userId, createdAt: p.createdAt })),
    (s) => s.orderId,
  );
}

/**
 * Which of two copies of one alert the view keeps: the earlier raisedAt, then the smaller order id. fraud-detection
 * produces a window alert again, same id, when a late order moves the crossing earlier (and again on its rebuild),
 * possibly on another partition (the topic is keyed by order id); every copy is at or after the final one, so the
 * least is fraud-detection's view whatever order the partitions are applied in.
 */
export function preferredAlert(a: CustomerFraudAlert, b: CustomerFraudAlert): CustomerFraudAlert {
  const byTime = Date.parse(a.raisedAt) - Date.parse(b.raisedAt);
  if (byTime !== 0) return byTime < 0 ? a : b;
  return b.orderId < a.orderId ? b : a;
}

/** The alerts of a chunk, one per alert id (the preferred copy): one order can raise several alerts, one per rule. */
export function customerFraudAlertsOf(events: readonly FraudAlertRaisedEvent[]): CustomerFraudAlert[] {
  const byId = new Map<string, CustomerFraudAlert>();
  for (const { payload: p } of events) {
    const alert: CustomerFraudAlert = { alertId: p.alertId, orderId: p.orderId, userId: p.userId, rule: p.rule, raisedAt: p.raisedAt };
    const kept = byId.get(alert.alertId);
    byId.set(alert.alertId, kept ? preferredAlert(kept, alert) : alert);
  }
  return [...byId.values()];
}
