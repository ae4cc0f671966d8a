import { FRAUD_RULES, fraudRuleSchema } from '@shop/contracts';
import type { OracleFile, RollupTable } from './oracle-file';

/**
 * Pure: turns what the services answered into the oracle's shape and lists every difference. The e2e test
 * asserts that these lists are empty; on failure they say exactly which order, alert or window is off.
 */

export interface Observed {
  readonly status: number;
  readonly body: unknown;
}

export interface Differences {
  readonly count: number;
  /** The first few, readable. */
  readonly examples: readonly string[];
}

const EXAMPLES = 15;

export function differences(lines: readonly string[]): Differences {
  return { count: lines.length, examples: lines.slice(0, EXAMPLES) };
}

const show = (value: unknown) => JSON.stringify(value);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

function sameAddress(a: unknown, b: unknown): boolean {
  const x = record(a);
  const y = record(b);
  return ['line1', 'city', 'postalCode', 'country'].every((k) => x[k] === y[k]);
}

/** Reason codes of an order view: `reasons` as [{ code, message }] (spec) or plain strings. */
export function reasonCodes(body: unknown): string[] {
  const reasons = record(body)['reasons'];
  if (!Array.isArray(reasons)) return [];
  return reasons.map((r) => (typeof r === 'string' ? r : String(record(r)['code']))).sort();
}

/** GET /orders/:id of every order vs the oracle's verdicts (status, exact set of reason codes, address). */
export function compareVerdicts(oracle: OracleFile, observed: ReadonlyMap<string, Observed>): string[] {
  const out: string[] = [];
  for (const [orderId, verdict] of Object.entries(oracle.verdicts)) {
    const seen = observed.get(orderId);
    if (!seen) {
      out.push(`${orderId}: not queried`);
      continue;
    }
    if (seen.status !== 200) {
      out.push(`${orderId}: GET /orders/${orderId} answered ${seen.status} ${show(seen.body).slice(0, 200)}`);
      continue;
    }
    const body = record(seen.body);
    const codes = reasonCodes(body);
    const wanted = [...verdict.reasons].sort();
    if (body['status'] !== verdict.status || show(codes) !== show(wanted)) {
      out.push(`${orderId}: expected ${verdict.status} ${show(wanted)}, got ${String(body['status'])} ${show(codes)}`);
      continue;
    }
    const address = oracle.shipments[orderId];
    if (verdict.status === 'validated' && 'shippingAddress' in body && !sameAddress(body['shippingAddress'], address)) {
      out.push(`${orderId}: validated with shippingAddress ${show(body['shippingAddress'])}, expected ${show(address)}`);
    }
  }
  return out;
}

/** Bad bodies must never become orders: GET /orders/:id → 404. */
export function compareNeverPlaced(orderIds: readonly string[], observed: ReadonlyMap<string, Observed>): string[] {
  return orderIds.flatMap((id) => {
    const seen = observed.get(id);
    return seen?.status === 404
      ? []
      : [`${id}: a rejected (400) request's orderId answers ${seen?.status ?? 'nothing'} ${show(seen?.body).slice(0, 200)}`];
  });
}

/** GET /shipments/:orderId for every order: 200 with the oracle's address for validated orders, 404 for the rest. */
export function compareShipments(oracle: OracleFile, observed: ReadonlyMap<string, Observed>): string[] {
  const out: string[] = [];
  for (const orderId of Object.keys(oracle.verdicts)) {
    const seen = observed.get(orderId);
    const expected = oracle.shipments[orderId];
    if (!seen) {
      out.push(`${orderId}: not queried`);
      continue;
    }
    if (!expected) {
      if (seen.status !== 404)
        out.push(`${orderId}: rejected order, but GET /shipments/${orderId} answered ${seen.status} ${show(seen.body).slice(0, 200)}`);
      continue;
    }
    if (seen.status !== 200) {
      out.push(`${orderId}: validated order, but GET /shipments/${orderId} answered ${seen.status}`);
      continue;
    }
    const body = record(seen.body);
    if (body['orderId'] !== orderId) out.push(`${orderId}: shipment names order ${show(body['orderId'])}`);
    if (!sameAddress(body['address'], expected))
      out.push(`${orderId}: shipment address ${show(body['address'])}, expected ${show(expected)}`);
  }
  return out;
}

/** The id docs/services.md gives an alert: the service's `eventId` when it keeps a contract-safe `alertId` apart. */
export function specAlertId(item: unknown): string {
  const r = record(item);
  return String(r['eventId'] ?? r['alertId']);
}

/** The listed alerts vs the oracle: the same alert ids, rules, users; per-order alerts name their order. */
export function compareAlerts(oracle: OracleFile, items: readonly unknown[]): string[] {
  const out: string[] = [];
  const byId = new Map<string, Record<string, unknown>>();
  for (const item of items) {
    const id = specAlertId(item);
    if (byId.has(id)) out.push(`${id}: listed twice`);
    byId.set(id, record(item));
  }
  for (const alert of oracle.alerts) {
    const seen = byId.get(alert.alertId);
    if (!seen) {
      out.push(
        `${alert.alertId}: missing (${alert.rule} of user ${alert.userId}${alert.orderId ? `, order ${alert.orderId}` : `, window ${alert.windowStart}`})`,
      );
      continue;
    }
    byId.delete(alert.alertId);
    if (seen['rule'] !== alert.rule) out.push(`${alert.alertId}: rule ${show(seen['rule'])}, expected ${alert.rule}`);
    if (seen['userId'] !== alert.userId) out.push(`${alert.alertId}: user ${show(seen['userId'])}, expected ${alert.userId}`);
    if (alert.orderId !== null && seen['orderId'] !== alert.orderId)
      out.push(`${alert.alertId}: order ${show(seen['orderId'])}, expected ${alert.orderId}`);
    if (alert.orderId === null && !alert.candidateOrderIds.includes(String(seen['orderId']))) {
      out.push(`${alert.alertId}: order ${show(seen['orderId'])} is not one of the user's orders in that window`);
    }
  }
  for (const [id, extra] of byId)
    out.push(`${id}: unexpected alert (${show(extra['rule'])} of user ${show(extra['userId'])}, order ${show(extra['orderId'])})`);
  return out;
}

/**
 * GET /customers/:id of every user the oracle has a profile for: order count, lifetime value per currency, last
 * order and shipment exactly; the open alerts by count and rule (a window alert's order and time are not decided by the log).
 */
export function compareCustomers(oracle: OracleFile, observed: ReadonlyMap<string, Observed>): string[] {
  const out: string[] = [];
  for (const [userId, expected] of Object.entries(oracle.customers)) {
    const seen = observed.get(userId);
    if (!seen || seen.status !== 200) {
      out.push(`${userId}: GET /customers/${userId} answered ${seen ? `${seen.status} ${show(seen.body).slice(0, 200)}` : 'nothing'}`);
      continue;
    }
    const body = record(seen.body);
    const shipment = body['lastShipment'] === null ? null : record(body['lastShipment']);
    const exact: [string, unknown, unknown][] = [
      ['orderCount', body['orderCount'], expected.orderCount],
      ['lifetimeValue', body['lifetimeValue'], expected.lifetimeValue],
      ['lastOrder', body['lastOrder'], expected.lastOrder],
      ['lastShipment', shipment && { orderId: shipment['orderId'], createdAt: shipment['createdAt'] }, expected.lastShipment],
    ];
    for (const [field, got, want] of exact)
      if (show(got) !== show(want)) out.push(`${userId}: ${field} ${show(got)}, expected ${show(want)}`);
    const alerts = record(body['openFraudAlerts']);
    const items = Array.isArray(alerts['alerts']) ? (alerts['alerts'] as unknown[]) : [];
    const rules = items.map((a) => String(record(a)['rule'])).sort();
    if (alerts['count'] !== expected.openFraudAlerts || show(rules) !== show(expected.alertRules)) {
      out.push(
        `${userId}: openFraudAlerts ${show(alerts['count'])} ${show(rules)}, expected ${expected.openFraudAlerts} ${show(expected.alertRules)}`,
      );
    }
  }
  return out;
}

/** GET /analytics/totals ({ orders: { validated, rejected }, revenueCents, shipments, fraudAlerts: { total, byRule } }). */
export function compareTotals(oracle: OracleFile, body: unknown): string[] {
  const t = oracle.analytics.totals;
  const b = record(body);
  const orders = record(b['orders']);
  const alerts = record(b['fraudAlerts']);
  const byRule = record(alerts['byRule']);
  const pairs: [string, unknown, number][] = [
    ['orders.validated', orders['validated'], t.validatedOrders],
    ['orders.rejected', orders['rejected'], t.rejectedOrders],
    ['revenueCents', b['revenueCents'], t.revenueCents],
    ['shipments', b['shipments'], t.shipments],
    ['fraudAlerts.total', alerts['total'], t.alerts],
    ...FRAUD_RULES.map((rule): [string, unknown, number] => [`fraudAlerts.byRule.${rule}`, byRule[rule] ?? 0, t.alertsByRule[rule] ?? 0]),
  ];
  const out = pairs.filter(([, got, want]) => got !== want).map(([name, got, want]) => `${name}: expected ${want}, got ${show(got)}`);
  for (const rule of Object.keys(byRule))
    if (!fraudRuleSchema.safeParse(rule).success) out.push(`fraudAlerts.byRule.${rule}: unknown rule (${show(byRule[rule])})`);
  return out;
}

/** GET /analytics/windows ({ windows: [{ windowStart, values: [{ value, count, revenueCents }] }] }) → start → value → roll-up. */
export function windowsTable(body: unknown): Record<string, RollupTable> {
  const result: Record<string, Record<string, { count: number; revenueCents: number }>> = {};
  const windows = record(body)['windows'];
  if (!Array.isArray(windows)) throw new Error(`not a windows report: ${show(body).slice(0, 300)}`);
  for (const w of windows) {
    const start = record(w)['windowStart'];
    const key = start === null || start === undefined ? 'total' : new Date(String(start)).toISOString();
    const values = record(w)['values'];
    const table = (result[key] ??= {});
    for (const v of Array.isArray(values) ? values : []) {
      const r = record(v);
      table[String(r['value'])] = { count: Number(r['count']), revenueCents: Number(r['revenueCents']) };
    }
  }
  return result;
}

/** Every (window, value) whose count or revenue differs, or that is on one side only. */
export function compareWindowTables(
  label: string,
  expected: Readonly<Record<string, RollupTable>>,
  actual: Readonly<Record<string, RollupTable>>,
): string[] {
  const out: string[] = [];
  const starts = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const start of starts) {
    const e = expected[start] ?? {};
    const a = actual[start] ?? {};
    for (const value of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      const want = e[value];
      const got = a[value];
      if (want?.count === got?.count && want?.revenueCents === got?.revenueCents) continue;
      out.push(`${label} ${start} ${value}: expected ${show(want ?? null)}, got ${show(got ?? null)}`);
    }
  }
  return out;
}

/** Structural differences between two JSON values, as paths (for "identical after a rebuild"). */
export function jsonDifferences(before: unknown, after: unknown, path = '$', out: string[] = [], limit = 50): string[] {
  if (out.length >= limit) return out;
  if (before === after) return out;
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) out.push(`${path}: length ${before.length} → ${after.length}`);
    for (let i = 0; i < Math.min(before.length, after.length); i++) jsonDifferences(before[i], after[i], `${path}[${i}]`, out, limit);
    return out;
  }
  if (before && after && typeof before === 'object' && typeof after === 'object' && !Array.isArray(before) && !Array.isArray(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort())
      jsonDifferences(b[key], a[key], `${path}.${key}`, out, limit);
    return out;
  }
  out.push(`${path}: ${show(before)?.slice(0, 120)} → ${show(after)?.slice(0, 120)}`);
  return out;
}
