import { userRecordSchema, orderPlacedSchema, type UserRecord } from '@shop/contracts';
import { computeOracle } from './oracle';
import { FRAUD_RULES, REJECTION_CODES } from '@shop/contracts';
import { HOUR_MS, VELOCITY_WINDOW_MS, windowStart } from './rules';
import {
  NORMAL_MAX_PER_10_MIN,
  NORMAL_MAX_PER_HOUR,
  NORMAL_MAX_TOTAL_CENTS,
  NORMAL_MIN_ACCOUNT_AGE_MS,
  ScenarioError,
  buildScenario,
  orderJson,
} from './scenario';

describe('buildScenario', () => {
  const scenario = buildScenario({ seed: 7, users: 300, orders: 3000 });
  const users = new Map(scenario.users.map((u) => [u.id, u]));

  it('is deterministic: the same seed and sizes give the same scenario, another seed another one', () => {
    expect(buildScenario({ seed: 7, users: 300, orders: 3000 })).toEqual(scenario);
    const other = buildScenario({ seed: 8, users: 300, orders: 3000 });
    expect(other.users.map((u) => u.id)).not.toEqual(scenario.users.map((u) => u.id));
  });

  it('spreads the orders over the channels, and sends about a tenth without one', () => {
    const counts = new Map<string, number>();
    for (const o of scenario.orders) counts.set(o.body.channel ?? 'none', (counts.get(o.body.channel ?? 'none') ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['api', 'mobile', 'none', 'web']);
    expect(counts.get('web')).toBeGreaterThan(1200);
    expect(counts.get('none')).toBeGreaterThan(150);
    expect(counts.get('none')).toBeLessThan(450);
    const without = scenario.orders.find((o) => o.body.channel === undefined);
    expect(without && Object.keys(JSON.parse(orderJson(without)) as object)).not.toContain('channel');
  });

  it('has the requested sizes, unique ids, and orders sorted by event time', () => {
    expect(scenario.users).toHaveLength(300);
    expect(scenario.orders).toHaveLength(3000);
    expect(new Set(scenario.users.map((u) => u.id)).size).toBe(300);
    expect(new Set(scenario.orders.map((o) => o.body.orderId)).size).toBe(3000);
    expect(new Set(scenario.orders.map((o) => o.idempotencyKey)).size).toBe(3000);
    const times = scenario.orders.map((o) => Date.parse(o.body.placedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('writes users exactly in the CDC format, with a mix of regions, some suspended and some without address', () => {
    for (const user of scenario.users) expect(userRecordSchema.safeParse(user).error).toBeUndefined();
    expect(scenario.users[0]?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(new Set(scenario.users.map((u) => u.region)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(scenario.users.map((u) => u.country)).size).toBeGreaterThanOrEqual(8);
    expect(scenario.users.filter((u) => u.status === 'suspended').length).toBeGreaterThanOrEqual(2);
    expect(scenario.users.filter((u) => u.address_line1 === null).length).toBeGreaterThanOrEqual(2);
  });

  it('sends only bodies that pass the OrderPlaced schema, on a clock spread over several hours from 2026-01-05', () => {
    for (const order of scenario.orders) {
      const parsed = orderPlacedSchema.safeParse({ shippingAddress: null, ...JSON.parse(orderJson(order)) });
      expect(parsed.error).toBeUndefined();
    }
    expect(scenario.startsAt).toBe('2026-01-05T00:00:00.000Z');
    const hours = new Set(scenario.orders.map((o) => windowStart(Date.parse(o.body.placedAt), HOUR_MS)));
    expect(hours.size).toBeGreaterThanOrEqual(6);
    const minutes = new Set(scenario.orders.map((o) => windowStart(Date.parse(o.body.placedAt), 60_000)));
    expect(minutes.size).toBeGreaterThanOrEqual(300);
    expect(scenario.orders.some((o) => o.omitShippingAddress)).toBe(true);
    expect(scenario.orders.some((o) => !o.omitShippingAddress && o.body.shippingAddress === null)).toBe(true);
  });

  it('plants every rejection code of the spec, alone and combined', () => {
    const oracle = computeOracle(scenario);
    const seen = new Set(Object.values(oracle.verdicts).flatMap((v) => v.reasons));
    expect([...seen].sort()).toEqual([...REJECTION_CODES].sort());
    expect(Object.values(oracle.verdicts).some((v) => v.reasons.length >= 3)).toBe(true);
    // The oracle agrees with what the scenario meant to plant.
    for (const order of scenario.orders) {
      const verdict = oracle.verdicts[order.body.orderId];
      if (order.intent.kind === 'invalid')
        expect(verdict).toEqual({
          status: 'rejected',
          reasons: [...order.intent.codes].sort((a, b) => REJECTION_CODES.indexOf(a) - REJECTION_CODES.indexOf(b)),
        });
      else expect(verdict).toEqual({ status: 'validated', reasons: [] });
    }
  });

  it('plants every fraud rule, and the controls just below the thresholds raise nothing', () => {
    const oracle = computeOracle(scenario);
    for (const rule of FRAUD_RULES) expect(oracle.analytics.totals.alertsByRule[rule]).toBeGreaterThanOrEqual(2);
    const alerted = new Set(oracle.alerts.flatMap((a) => a.candidateOrderIds));
    for (const order of scenario.orders) {
      const { intent } = order;
      if (intent.kind === 'fraud') {
        const mine = oracle.alerts.filter((a) => a.rule === intent.rule && a.candidateOrderIds.includes(order.body.orderId));
        expect(mine).toHaveLength(1);
      } else {
        expect(alerted.has(order.body.orderId)).toBe(false);
      }
    }
  });

  it('keeps normal traffic well clear of every threshold', () => {
    const normal = scenario.orders.filter((o) => o.intent.kind === 'normal');
    expect(normal.length).toBeGreaterThan(2500);
    const per10 = new Map<string, number>();
    const perHour = new Map<string, number>();
    const t0 = Date.parse(scenario.startsAt);
    for (const o of normal) {
      const at = Date.parse(o.body.placedAt);
      const user = users.get(o.body.userId);
      expect(user).toBeDefined();
      expect(o.body.totalCents).toBeLessThanOrEqual(NORMAL_MAX_TOTAL_CENTS);
      if (o.body.shippingAddress) expect(o.body.shippingAddress.country).toBe(user?.country);
      expect(t0 - Date.parse(user?.created_at ?? '')).toBeGreaterThanOrEqual(NORMAL_MIN_ACCOUNT_AGE_MS);
      const k10 = `${o.body.userId}|${windowStart(at, VELOCITY_WINDOW_MS)}`;
      const kh = `${o.body.userId}|${windowStart(at, HOUR_MS)}`;
      per10.set(k10, (per10.get(k10) ?? 0) + 1);
      perHour.set(kh, (perHour.get(kh) ?? 0) + 1);
    }
    expect(Math.max(...per10.values())).toBeLessThanOrEqual(NORMAL_MAX_PER_10_MIN);
    expect(Math.max(...perHour.values())).toBeLessThanOrEqual(NORMAL_MAX_PER_HOUR);
  });

  it('has bad bodies that fail the schema', () => {
    expect(scenario.badRequests.length).toBeGreaterThanOrEqual(8);
    for (const bad of scenario.badRequests) {
      let json: unknown;
      try {
        json = JSON.parse(bad.rawBody);
      } catch {
        continue; // not JSON at all
      }
      expect(orderPlacedSchema.safeParse(json).success).toBe(false);
    }
    expect(new Set(scenario.badRequests.map((b) => b.idempotencyKey)).size).toBe(scenario.badRequests.length);
  });

  it('changes some users between two of their orders: every kind, each change to a normal user with orders on both sides', () => {
    const changes = scenario.userChanges;
    expect(new Set(changes.map((c) => c.kind))).toEqual(new Set(['moved', 'relocated', 'suspended', 'deleted']));
    expect(new Set(changes.map((c) => c.userId)).size).toBe(changes.length);
    const position = new Map(scenario.orders.map((o, i) => [o.body.orderId, i]));
    for (const change of changes) {
      const at = position.get(change.beforeOrderId) as number;
      const mine = scenario.orders.map((o, i) => ({ o, i })).filter(({ o }) => o.body.userId === change.userId);
      expect(mine.some(({ i }) => i < at)).toBe(true);
      expect(mine.some(({ i }) => i >= at)).toBe(true);
      const before = users.get(change.userId) as UserRecord;
      if (change.kind === 'deleted') expect(change.record).toBeNull();
      else expect(userRecordSchema.parse(change.record)).toEqual(change.record);
      if (change.kind === 'moved')
        expect([
          change.record?.country,
          change.record?.city === before.city && change.record?.address_line1 === before.address_line1,
        ]).toEqual([before.country, false]);
      if (change.kind === 'relocated') expect(change.record?.country).not.toBe(before.country);
      if (change.kind === 'suspended') expect(change.record?.status).toBe('suspended');
    }
  });

  it('makes the oracle judge each order by the user as of the order: the same user ships to two addresses, or is rejected only after the change', () => {
    const oracle = computeOracle(scenario);
    const position = new Map(scenario.orders.map((o, i) => [o.body.orderId, i]));
    for (const change of scenario.userChanges) {
      const at = position.get(change.beforeOrderId) as number;
      const mine = scenario.orders
        .map((o, i) => ({ o, i }))
        .filter(({ o }) => o.body.userId === change.userId && o.body.shippingAddress === null);
      const earlier = mine.filter(({ i }) => i < at).map(({ o }) => o.body.orderId);
      const later = mine.filter(({ i }) => i >= at).map(({ o }) => o.body.orderId);
      if (change.kind === 'moved' || change.kind === 'relocated') {
        for (const id of later) expect(oracle.shipments[id]?.line1).toBe(change.record?.address_line1);
        for (const id of earlier)
          if (oracle.shipments[id]) expect(oracle.shipments[id]?.line1).toBe(users.get(change.userId)?.address_line1);
      } else {
        for (const id of later) expect(oracle.verdicts[id]?.status).toBe('rejected');
      }
    }
  });

  it('is a scenario where joining with the users as they end up would be wrong: verdicts, shipments and regions differ', () => {
    const versioned = computeOracle(scenario);
    const final = new Map(scenario.users.map((u) => [u.id, u]));
    for (const change of scenario.userChanges) {
      if (change.record === null) final.delete(change.userId);
      else final.set(change.userId, change.record);
    }
    const latest = computeOracle({ ...scenario, users: [...final.values()], userChanges: [] });
    const differs = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      Object.keys(a).filter((id) => JSON.stringify(a[id]) !== JSON.stringify(b[id])).length;
    expect(differs(versioned.verdicts, latest.verdicts)).toBeGreaterThan(0);
    expect(differs(versioned.shipments, latest.shipments)).toBeGreaterThan(0);
    expect(versioned.analytics.totals.byRegion).not.toEqual(latest.analytics.totals.byRegion);
  });

  it('refuses sizes that cannot hold the planted patterns, readably', () => {
    expect(() => buildScenario({ seed: 1, users: 10, orders: 3000 })).toThrow(ScenarioError);
    expect(() => buildScenario({ seed: 1, users: 300, orders: 20 })).toThrow(/orders must be an integer/);
    expect(() => buildScenario({ seed: 1, users: 30, orders: 20_000 })).toThrow(/too few for the planted patterns/);
    expect(() => buildScenario({ seed: 3, users: 30, orders: 150 })).not.toThrow();
  });
});
