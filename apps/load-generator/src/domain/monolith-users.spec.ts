import { computeOracle } from './oracle';
import {
  defaultUserChanges,
  monolithUserPlan,
  expectedUsers,
  monolithUserBody,
  notYetOnTopic,
  shiftScenario,
  userDifferences,
} from './monolith-users';
import type { UserRecord } from '@shop/contracts';
import { buildScenario, SCENARIO_START, type OrderRequest } from './scenario';

const scenario = buildScenario({ seed: 7, users: 60, orders: 300 });

describe('monolith mode (pure parts)', () => {
  it('maps a scenario user to the POST /users body: snake_case fields, no timestamps', () => {
    const user = scenario.users[0] as UserRecord;
    const body = monolithUserBody(user);
    expect(Object.keys(body).sort()).toEqual([
      'address_line1',
      'city',
      'country',
      'email',
      'id',
      'name',
      'postal_code',
      'region',
      'status',
    ]);
    expect(body).toMatchObject({
      id: user.id,
      email: user.email,
      status: user.status,
      country: user.country,
      address_line1: user.address_line1,
    });
    expect(userDifferences(body, { ...user, email: user.email.toUpperCase() })).toEqual([]);
    expect(userDifferences(body, { ...user, name: 'Someone Else' })).toEqual(['name']);
    expect(userDifferences(body, null)).toEqual(['not a user object']);
  });

  it('changes profiles only, deletes only users without orders, and is deterministic', () => {
    const changes = defaultUserChanges(scenario);
    expect(defaultUserChanges(scenario)).toEqual(changes);
    const withOrders = new Set(scenario.orders.map((o) => o.body.userId));
    const byId = new Map(scenario.users.map((u) => [u.id, u]));
    const updates = changes.filter((c) => c.kind === 'update');
    const deletes = changes.filter((c) => c.kind === 'delete');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (const c of updates) {
      if (c.kind !== 'update') continue;
      expect(Object.keys(c.patch).every((k) => k === 'name' || k === 'address_line1')).toBe(true);
      if (c.patch.address_line1 !== undefined) expect(byId.get(c.id)?.address_line1).not.toBeNull();
    }
    for (const c of deletes) expect(withOrders.has(c.id)).toBe(false);
    const expected = expectedUsers(scenario.users, changes);
    for (const c of deletes) expect(expected.get(c.id)).toBeNull();
    for (const c of updates) if (c.kind === 'update') expect(expected.get(c.id)).toMatchObject(c.patch);
  });

  it('plans churn accounts for the deletes when every scenario user has orders', () => {
    const { users, changes } = monolithUserPlan(scenario);
    expect(monolithUserPlan(scenario)).toEqual({ users, changes });
    const withOrders = new Set(scenario.orders.map((o) => o.body.userId));
    const deletes = changes.filter((c) => c.kind === 'delete');
    expect(deletes.length).toBeGreaterThan(0);
    for (const c of deletes) expect(withOrders.has(c.id)).toBe(false);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
  });

  it('knows which ids the topic does not show as expected yet', () => {
    const [a, b, c] = scenario.users as [UserRecord, UserRecord, UserRecord];
    const expected = expectedUsers(
      [a, b, c],
      [
        { kind: 'update', id: b.id, patch: { name: 'New Name' } },
        { kind: 'delete', id: c.id },
      ],
    );
    expect(notYetOnTopic(expected, new Map())).toEqual([a.id, b.id, c.id]);
    const latest = new Map<string, unknown>([
      [a.id, a],
      [b.id, b],
      [c.id, c],
    ]);
    expect(notYetOnTopic(expected, latest)).toEqual([b.id, c.id]);
    latest.set(b.id, { ...b, name: 'New Name' });
    latest.set(c.id, null);
    expect(notYetOnTopic(expected, latest)).toEqual([]);
  });

  it('shifts every event time to start at "now" and leaves out the account-age patterns', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const { scenario: shifted, skipped } = shiftScenario(scenario, now);
    expect(shifted.startsAt).toBe(new Date(now).toISOString());
    expect(Date.parse(shifted.endsAt) - Date.parse(shifted.startsAt)).toBe(Date.parse(scenario.endsAt) - Date.parse(scenario.startsAt));
    expect(skipped.length).toBeGreaterThan(0);
    expect(shifted.orders.length + skipped.length).toBe(scenario.orders.length);
    const original = new Map(scenario.orders.map((o) => [o.body.orderId, o]));
    for (const o of shifted.orders) {
      expect(Date.parse(o.body.placedAt) - Date.parse((original.get(o.body.orderId) as OrderRequest).body.placedAt)).toBe(
        now - SCENARIO_START,
      );
      expect(o.intent).not.toEqual({ kind: 'fraud', rule: 'new-account-large-order' });
    }
    expect(
      skipped.map((o) => (o.intent.kind === 'fraud' ? o.intent.rule : o.intent.kind === 'control' ? o.intent.tag : o.intent.kind)).sort(),
    ).toEqual(expect.arrayContaining(['new-account-large-order', 'new-account-small-order', 'old-account-large-order']));
    const user = shifted.users[0] as UserRecord;
    expect(user.created_at).toMatch(/\.\d{6}Z$/);
    expect(() => computeOracle(shifted)).not.toThrow();
  });
});
