import {
  WINDOW_RULE_SIZES,
  WINDOW_SIZES,
  windowAlertEventId,
  windowAlertOf,
  type FraudAlert,
  type ValidatedOrderFacts,
  type WindowDelta,
  type WindowRule,
} from './fraud-rules';

/** A window a chunk added orders to, watched by one window rule; `eventId` names its alert. */
export interface TouchedWindow {
  readonly eventId: string;
  readonly rule: WindowRule;
  readonly userId: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Every (rule, window) whose alert may have to be rewritten after these deltas, each once. */
export function touchedWindows(deltas: readonly WindowDelta[]): TouchedWindow[] {
  const touched = new Map<string, TouchedWindow>();
  for (const delta of deltas) {
    for (const rule of Object.keys(WINDOW_RULE_SIZES) as WindowRule[]) {
      const size = WINDOW_RULE_SIZES[rule];
      if (size !== delta.size) continue;
      const eventId = windowAlertEventId(rule, delta.userId, delta.startMs);
      touched.set(eventId, { eventId, rule, userId: delta.userId, startMs: delta.startMs, endMs: delta.startMs + WINDOW_SIZES[size] });
    }
  }
  return [...touched.values()];
}

/** A stored order of an alerted window. */
export type WindowOrder = Omit<ValidatedOrderFacts, 'shipCountry' | 'userId'>;

/**
 * The view of every alerted window from its stored orders (`windowAlertOf`: the crossing order by event time),
 * so the alerts are a function of the set of validated orders, whatever order partitions were processed in.
 * A window without orders here has no alert yet; one that no longer crosses keeps its row as it is (orders
 * are never removed, so it always does).
 */
export function windowAlertViews(
  windows: readonly TouchedWindow[],
  ordersByEventId: ReadonlyMap<string, readonly WindowOrder[]>,
): FraudAlert[] {
  return windows.flatMap((w) => {
    const orders = ordersByEventId.get(w.eventId);
    const view = orders && orders.length > 0 ? windowAlertOf(w.rule, w.userId, w.startMs, orders) : undefined;
    return view ? [view] : [];
  });
}

/**
 * The alerts to produce after a chunk: the new ones and the rewritten ones, each once and as the view has it. A
 * window alert's event thus names the crossing order by event time of the orders seen so far; a late order that
 * moves the crossing earlier produces the alert again, same id, with that order. Every copy is then at or after
 * the final one in (raisedAt, orderId) (more orders can only move the crossing earlier), so a consumer that keeps
 * the least copy of each id ends with the view's alert whatever order it reads the partitions in.
 */
export function alertsToProduce(raised: readonly FraudAlert[], views: readonly FraudAlert[], rewritten: ReadonlySet<string>): FraudAlert[] {
  const viewById = new Map(views.map((v) => [v.eventId, v]));
  const out = new Map<string, FraudAlert>();
  for (const alert of raised) out.set(alert.eventId, viewById.get(alert.eventId) ?? alert);
  for (const view of views) if (rewritten.has(view.eventId)) out.set(view.eventId, view);
  return [...out.values()];
}
