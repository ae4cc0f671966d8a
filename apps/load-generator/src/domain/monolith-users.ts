import type { UserRecord } from '@shop/contracts';
import { Random } from './random';
import { isoOf } from './rules';
import { SCENARIO_START, type OrderRequest, type Scenario } from './scenario';

/**
 * Pure helpers of the `USERS_VIA=monolith` mode: the scenario's users as the legacy monolith's
 * `POST /users` bodies, the deterministic set of user changes (PATCH / DELETE), what the `users` topic must
 * show once change data capture has caught up, and the shift of the scenario's simulated clock to "now".
 */

/** The body of the monolith's `POST /users`: the record's snake_case fields without the timestamps (the monolith's clock sets those). */
export interface MonolithUserBody {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly status: UserRecord['status'];
  readonly country: string;
  readonly region: string;
  readonly address_line1: string | null;
  readonly city: string | null;
  readonly postal_code: string | null;
}

/** The fields a PATCH may change here: profile only, never region, country or status. */
export type ProfilePatch = { readonly name?: string; readonly address_line1?: string };

export type UserChange =
  { readonly kind: 'update'; readonly id: string; readonly patch: ProfilePatch } | { readonly kind: 'delete'; readonly id: string };

export const MONOLITH_USER_FIELDS = ['id', 'email', 'name', 'status', 'country', 'region', 'address_line1', 'city', 'postal_code'] as const;

export function monolithUserBody(user: UserRecord): MonolithUserBody {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    status: user.status,
    country: user.country,
    region: user.region,
    address_line1: user.address_line1,
    city: user.city,
    postal_code: user.postal_code,
  };
}

/**
 * The fields of `actual` (an answer of the monolith, or a record on the topic) that differ from `expected`;
 * empty when they agree. E-mails compare case-insensitively (the monolith stores them lower-case).
 */
export function userDifferences(expected: MonolithUserBody, actual: unknown): string[] {
  if (typeof actual !== 'object' || actual === null) return ['not a user object'];
  const a = actual as Record<string, unknown>;
  return MONOLITH_USER_FIELDS.filter((field) => {
    const want = expected[field];
    const got = a[field] ?? null;
    if (field === 'email') return typeof got !== 'string' || got.toLowerCase() !== String(want).toLowerCase();
    return got !== want;
  });
}

export function applyPatch(user: MonolithUserBody, patch: ProfilePatch): MonolithUserBody {
  return { ...user, ...patch };
}

const NEW_SURNAMES = ['Hopper-Lovelace', 'Turing-Knuth', 'Liskov-Wirth', 'Hamilton-Allen', 'Perlman-Backus'];

/**
 * A small deterministic set of user changes for a scenario that has none: profile updates (name, address
 * line; never region, country or status, so no verdict of an order in flight can change) on about 3 % of the
 * users, and deletes of up to about 1 % of the users — only users without any order, so no order ever meets a
 * deleted user. An address line is only changed where one exists (null → value would change
 * `no-shipping-address`); the city, postal code and country stay, so the address stays in the same country.
 */
export function defaultUserChanges(scenario: Pick<Scenario, 'seed' | 'users' | 'orders'>): UserChange[] {
  const r = new Random(scenario.seed ^ 0x5eed_c4a6);
  const withOrders = new Set(scenario.orders.map((o) => o.body.userId));
  const updateCount = Math.max(2, Math.ceil(scenario.users.length * 0.03));
  const deleteCount = Math.max(1, Math.ceil(scenario.users.length * 0.01));
  const updates: UserChange[] = r
    .shuffle(scenario.users)
    .slice(0, updateCount)
    .map((user, n) => {
      const first = user.name.split(' ')[0] ?? user.name;
      const name = `${first} ${r.pick(NEW_SURNAMES)}`;
      if (n % 2 === 1 && user.address_line1 !== null)
        return { kind: 'update', id: user.id, patch: { address_line1: `${user.address_line1}, apt ${r.int(1, 99)}` } };
      return { kind: 'update', id: user.id, patch: { name } };
    });
  const deletes: UserChange[] = scenario.users
    .filter((u) => !withOrders.has(u.id))
    .slice(0, deleteCount)
    .map((u) => ({ kind: 'delete', id: u.id }));
  return [...updates, ...deletes];
}

/**
 * Throw-away accounts for the deletes when the scenario has (nearly) no user without orders: copies of
 * scenario users with their own ids and e-mails, created and deleted again in the same run.
 */
export function churnUsers(scenario: Pick<Scenario, 'seed' | 'users'>, count: number): UserRecord[] {
  const tag = scenario.seed.toString(36);
  return scenario.users
    .slice(0, count)
    .map((u, k) => ({ ...u, id: `lg-${tag}-churn-${k + 1}`, email: `churn-${k + 1}.s${tag}@example.com` }));
}

/**
 * The users the monolith mode creates (the scenario's, plus churn accounts when needed) and the changes it
 * applies: defaultUserChanges over that list, so there is always at least one delete.
 */
export function monolithUserPlan(scenario: Pick<Scenario, 'seed' | 'users' | 'orders'>): { users: UserRecord[]; changes: UserChange[] } {
  const withOrders = new Set(scenario.orders.map((o) => o.body.userId));
  const idle = scenario.users.filter((u) => !withOrders.has(u.id)).length;
  const wanted = Math.max(1, Math.ceil(scenario.users.length * 0.01));
  const users = [...scenario.users, ...churnUsers(scenario, Math.max(0, wanted - idle))];
  return { users, changes: defaultUserChanges({ ...scenario, users }) };
}

/** What each id must end up as after the creates and `changes` (null = deleted). */
export function expectedUsers(users: readonly UserRecord[], changes: readonly UserChange[]): Map<string, MonolithUserBody | null> {
  const state = new Map<string, MonolithUserBody | null>(users.map((u) => [u.id, monolithUserBody(u)]));
  for (const change of changes) {
    const current = state.get(change.id);
    if (change.kind === 'delete') state.set(change.id, null);
    else if (current) state.set(change.id, applyPatch(current, change.patch));
  }
  return state;
}

/**
 * The ids whose latest record on the topic (`latest`: id → parsed value, null for a tombstone) does not yet
 * show the expected state: missing, stale (before an update) or not yet deleted.
 */
export function notYetOnTopic(expected: ReadonlyMap<string, MonolithUserBody | null>, latest: ReadonlyMap<string, unknown>): string[] {
  const pending: string[] = [];
  for (const [id, want] of expected) {
    if (!latest.has(id)) {
      pending.push(id);
      continue;
    }
    const got = latest.get(id) ?? null;
    if (want === null ? got !== null : userDifferences(want, got).length > 0) pending.push(id);
  }
  return pending;
}

/** Orders of the account-age patterns, which cannot hold when the monolith creates every account "now". */
export const ACCOUNT_AGE_TAGS = ['new-account-large-order', 'new-account-small-order', 'old-account-large-order'] as const;

function dependsOnAccountAge(order: OrderRequest): boolean {
  const i = order.intent;
  return (
    (i.kind === 'fraud' && i.rule === 'new-account-large-order') ||
    (i.kind === 'control' && (ACCOUNT_AGE_TAGS as readonly string[]).includes(i.tag))
  );
}

const shiftIso = (iso: string, offsetMs: number) => isoOf(Date.parse(iso) + offsetMs);

/**
 * The scenario on a clock whose simulated start (SCENARIO_START) is `startMs`: every event time moves by
 * the same offset (orders' placedAt = startMs + their offset in the scenario), and the orders of the
 * account-age patterns are left out (in the monolith every account is created "now", so "new account" and
 * "old account" mean nothing). The users' timestamps move too, for the record; the monolith sets its own.
 * Order indexes, ids and idempotency keys stay as they were.
 */
export function shiftScenario(scenario: Scenario, startMs: number): { scenario: Scenario; skipped: readonly OrderRequest[] } {
  const offset = startMs - SCENARIO_START;
  const skipped = scenario.orders.filter(dependsOnAccountAge);
  const orders = scenario.orders
    .filter((o) => !dependsOnAccountAge(o))
    .map((o) => ({ ...o, body: { ...o.body, placedAt: shiftIso(o.body.placedAt, offset) } }));
  const users = scenario.users.map((u) => ({
    ...u,
    created_at: shiftCdc(u.created_at, offset),
    updated_at: shiftCdc(u.updated_at, offset),
  }));
  return {
    scenario: { ...scenario, startsAt: shiftIso(scenario.startsAt, offset), endsAt: shiftIso(scenario.endsAt, offset), users, orders },
    skipped,
  };
}

function shiftCdc(iso: string, offsetMs: number): string {
  return new Date(Date.parse(iso) + offsetMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
