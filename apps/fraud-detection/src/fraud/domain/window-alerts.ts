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
