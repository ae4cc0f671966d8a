import {
  REJECTION_CODES,
  type Address,
  type FraudRule,
  type OrderChannel,
  type RejectionCode,
  type UserRecord,
  type UserStatus,
} from '@shop/contracts';
import { Random } from './random';
import { AMOUNT_MAX_CENTS, DAY_MS, HOUR_MS, MINUTE_MS, VELOCITY_WINDOW_MS, isoOf, windowStart } from './rules';

/**
 * The load generator's deterministic scenario: users exactly as change data capture publishes them, and an
 * ordered list of order requests with explicit event times (`placedAt`) on a simulated clock. Pure: the
 * same seed and sizes always give the same scenario (no clock, no Math.random, no I/O).
 *
 * Normal traffic stays well clear of every rule: at most 2 orders per user per 10-minute window and 3 per
 * hour, totals ≤ 30,000 cents, shipping to the user's own country, accounts ≥ 30 days old. Around it the
 * scenario plants every rejection code, bad HTTP bodies, every fraud pattern, and controls just below the
 * fraud thresholds (5 orders in a window, exactly 500,000 cents, a burst split over two windows, …).
 */

export const SCENARIO_START = Date.UTC(2026, 0, 5, 0, 0, 0); // 2026-01-05T00:00:00Z
export const NORMAL_MAX_TOTAL_CENTS = 30_000;
export const NORMAL_MAX_PER_10_MIN = 2;
export const NORMAL_MAX_PER_HOUR = 3;
export const NORMAL_MIN_ACCOUNT_AGE_MS = 30 * DAY_MS;
export const MIN_USERS = 30;
export const MIN_ORDERS = 150;

export interface OrderLineRequest {
  readonly productId: string;
  readonly category: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** The JSON body of `POST /orders` (shippingAddress left out of the JSON when `omitShippingAddress`). */
export interface OrderBody {
  readonly orderId: string;
  readonly userId: string;
  readonly lines: readonly OrderLineRequest[];
  readonly currency: string;
  readonly totalCents: number;
  readonly shippingAddress: Address | null;
  readonly placedAt: string;
  /** Absent for the share of orders sent without one (as clients from before OrderPlaced v2 do). */
  readonly channel?: OrderChannel;
}

/** How the scenario's orders spread over the channels; null = the body has no channel. */
const CHANNEL_SHARES: readonly (readonly [OrderChannel | null, number])[] = [
  ['web', 0.5],
  ['mobile', 0.25],
  ['api', 0.15],
  [null, 0.1],
];

/** Channels come from a stream of their own, so adding them left every other draw of a seed as it was. */
const CHANNEL_STREAM = 0x6368616e; // "chan"
/** User changes too (planned after the orders, from a stream of their own, so nothing else of a seed moved). */
const CHANGE_STREAM = 0x63686e67; // "chng"

function drawChannel(rand: Random): OrderChannel | null {
  let x = rand.next();
  for (const [channel, share] of CHANNEL_SHARES) {
    if (x < share) return channel;
    x -= share;
  }
  return null;
}

export type OrderIntent =
  | { readonly kind: 'normal'; readonly tag: 'user-address' | 'own-address' | 'no-user-address' }
  | { readonly kind: 'invalid'; readonly codes: readonly RejectionCode[] }
  | { readonly kind: 'fraud'; readonly rule: FraudRule }
  | { readonly kind: 'control'; readonly tag: ControlTag };

export type ControlTag =
  'velocity-at-threshold' | 'velocity-split-windows' | 'amount-at-threshold' | 'old-account-large-order' | 'new-account-small-order';

export interface OrderRequest {
  readonly index: number;
  readonly idempotencyKey: string;
  readonly intent: OrderIntent;
  readonly body: OrderBody;
  /** Leave `shippingAddress` out of the JSON instead of sending null (both mean "none"). */
  readonly omitShippingAddress: boolean;
}

/** A request `POST /orders` must refuse with 400 (and never write). */
export interface BadRequest {
  readonly label: string;
  readonly idempotencyKey: string;
  readonly rawBody: string;
  /** A well-formed orderId in the body, which must never become an order. */
  readonly orderId: string | null;
}

export interface ScenarioSizes {
  readonly seed: number;
  readonly users: number;
  readonly orders: number;
}

/**
 * A user changed while their orders flow: the new row goes on the users topic after every order before
 * `beforeOrderId` was accepted and before that order is sent. Orders sent before it (and still in flight in
 * the services) meet the old version, orders from `beforeOrderId` on the new one, however late any service
 * processes or rebuilds them.
 */
export interface ScenarioUserChange {
  readonly beforeOrderId: string;
  /** moved: another address in the same country; relocated: another country (and region); then suspended, deleted. */
  readonly kind: 'moved' | 'relocated' | 'suspended' | 'deleted';
  readonly userId: string;
  /** The user's new row; null for a delete (a tombstone). */
  readonly record: UserRecord | null;
}

export interface Scenario {
  readonly seed: number;
  readonly startsAt: string;
  readonly endsAt: string;
  /** The users before the first order. */
  readonly users: readonly UserRecord[];
  /** Sorted by placedAt (the order they are sent in). */
  readonly orders: readonly OrderRequest[];
  /** In the orders' order: what happens to some users between two of their orders. */
  readonly userChanges: readonly ScenarioUserChange[];
  readonly badRequests: readonly BadRequest[];
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

// ---------------------------------------------------------------------------------------------------------
// Reference data

interface Place {
  readonly country: string;
  readonly region: string;
  readonly cities: readonly string[];
  readonly streets: readonly string[];
  readonly postalDigits: number;
}

const PLACES: readonly Place[] = [
  {
    country: 'DE',
    region: 'europe',
    cities: ['Berlin', 'Hamburg', 'München'],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg'],
    postalDigits: 5,
  },
  { country: 'FR', region: 'europe', cities: ['Paris', 'Lyon'], streets: ['Rue de la Paix', 'Avenue Victor Hugo'], postalDigits: 5 },
  { country: 'GB', region: 'europe', cities: ['London', 'Leeds'], streets: ['High Street', 'Station Road'], postalDigits: 4 },
  { country: 'NL', region: 'europe', cities: ['Amsterdam', 'Utrecht'], streets: ['Keizersgracht', 'Damrak'], postalDigits: 4 },
  {
    country: 'US',
    region: 'north-america',
    cities: ['New York', 'Chicago', 'Austin'],
    streets: ['Main Street', 'Oak Avenue'],
    postalDigits: 5,
  },
  { country: 'CA', region: 'north-america', cities: ['Toronto', 'Montreal'], streets: ['King Street', 'Queen Street'], postalDigits: 6 },
  {
    country: 'BR',
    region: 'south-america',
    cities: ['São Paulo', 'Rio de Janeiro'],
    streets: ['Rua Augusta', 'Avenida Paulista'],
    postalDigits: 8,
  },
  { country: 'JP', region: 'asia', cities: ['Tokyo', 'Osaka'], streets: ['Chuo-dori', 'Meiji-dori'], postalDigits: 7 },
  { country: 'IN', region: 'asia', cities: ['Bengaluru', 'Mumbai'], streets: ['MG Road', 'Linking Road'], postalDigits: 6 },
  { country: 'AU', region: 'oceania', cities: ['Sydney', 'Melbourne'], streets: ['George Street', 'Collins Street'], postalDigits: 4 },
  { country: 'NG', region: 'africa', cities: ['Lagos', 'Abuja'], streets: ['Broad Street', 'Awolowo Road'], postalDigits: 6 },
];

interface Product {
  readonly productId: string;
  readonly category: string;
  readonly priceCents: number;
}

/** Everyday products: three lines of the dearest at quantity 1 stay under NORMAL_MAX_TOTAL_CENTS. */
const CATALOGUE: readonly Product[] = [
  { productId: 'book-novel', category: 'books', priceCents: 1_299 },
  { productId: 'book-cookbook', category: 'books', priceCents: 2_499 },
  { productId: 'book-atlas', category: 'books', priceCents: 3_999 },
  { productId: 'usb-cable', category: 'electronics', priceCents: 899 },
  { productId: 'headphones', category: 'electronics', priceCents: 7_999 },
  { productId: 'power-bank', category: 'electronics', priceCents: 3_499 },
  { productId: 'mug', category: 'home', priceCents: 1_199 },
  { productId: 'lamp', category: 'home', priceCents: 4_599 },
  { productId: 'towel-set', category: 'home', priceCents: 2_999 },
  { productId: 'seeds', category: 'garden', priceCents: 299 },
  { productId: 'watering-can', category: 'garden', priceCents: 1_899 },
  { productId: 'puzzle', category: 'toys', priceCents: 1_599 },
  { productId: 'robot-kit', category: 'toys', priceCents: 8_999 },
  { productId: 'coffee-beans', category: 'grocery', priceCents: 1_450 },
  { productId: 'olive-oil', category: 'grocery', priceCents: 1_190 },
  { productId: 't-shirt', category: 'clothing', priceCents: 1_999 },
  { productId: 'rain-jacket', category: 'clothing', priceCents: 8_900 },
  { productId: 'yoga-mat', category: 'sports', priceCents: 2_900 },
];

/** Big-ticket products, only in planted large orders. */
const PREMIUM: readonly Product[] = [
  { productId: 'laptop-pro', category: 'electronics', priceCents: 0 },
  { productId: 'e-bike', category: 'sports', priceCents: 0 },
  { productId: 'camera-x', category: 'electronics', priceCents: 0 },
];

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Tim',
  'Frances',
  'Linus',
  'Hedy',
  'John',
  'Katherine',
  'Guido',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Thompson',
  'Perlman',
  'Allen',
  'Torvalds',
  'Lamarr',
  'Backus',
  'Johnson',
  'Wirth',
  'Wilson',
];

/** Debezium renders timestamptz with microseconds: 2026-01-05T10:00:00.123000Z. */
export function cdcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

// ---------------------------------------------------------------------------------------------------------
// Builder

type Pool = 'normal' | 'suspended' | 'no-address';

interface PendingOrder {
  readonly intent: OrderIntent;
  readonly placedAtMs: number;
  readonly userId: string;
  readonly lines: readonly OrderLineRequest[];
  readonly currency: string;
  readonly totalCents: number;
  readonly shippingAddress: Address | null;
  readonly omitShippingAddress: boolean;
}

/** A slot the allocator fills with a user of `pool` at a time of its choosing. */
interface SlotRequest {
  readonly pool: Pool | 'unknown';
  readonly make: (user: UserRecord | null, placedAtMs: number) => Omit<PendingOrder, 'placedAtMs'>;
}

const sum = (lines: readonly OrderLineRequest[]) => lines.reduce((total, l) => total + l.quantity * l.unitPriceCents, 0);

class Builder {
  private readonly rand: Random;
  private readonly users: UserRecord[] = [];
  private unknownCounter = 0;

  constructor(private readonly sizes: ScenarioSizes) {
    this.rand = new Random(sizes.seed);
  }

  build(): Scenario {
    const { users: userCount, orders: orderCount, seed } = this.sizes;
    if (!Number.isInteger(userCount) || userCount < MIN_USERS)
      throw new ScenarioError(`users must be an integer ≥ ${MIN_USERS} (got ${userCount})`);
    if (!Number.isInteger(orderCount) || orderCount < MIN_ORDERS)
      throw new ScenarioError(`orders must be an integer ≥ ${MIN_ORDERS} (got ${orderCount})`);
    const r = this.rand;

    // How much of each planted kind, growing with the scenario.
    const perCode = Math.max(2, Math.ceil(orderCount * 0.01));
    const combos = Math.max(3, Math.ceil(orderCount * 0.003));
    const velocityUsers = Math.max(2, Math.ceil(orderCount / 1000));
    const amountUsers = Math.max(2, Math.ceil(orderCount / 1500));
    const newAccounts = Math.max(2, Math.ceil(orderCount / 1500));
    const mismatches = Math.max(3, Math.ceil(orderCount / 500));
    const suspendedCount = Math.max(2, Math.ceil(userCount * 0.02));
    const noAddressCount = Math.max(2, Math.ceil(userCount * 0.03));

    // Users. Dedicated users carry the planted fraud patterns and nothing else.
    const dedicatedCount = velocityUsers + 2 + amountUsers + 1 + newAccounts + 1 + 1;
    const normalCount = userCount - suspendedCount - noAddressCount - dedicatedCount;
    if (normalCount < 10) {
      throw new ScenarioError(`users=${userCount} is too few for the planted patterns: need at least ${userCount - normalCount + 10}`);
    }
    const pools: Record<Pool, UserRecord[]> = { normal: [], suspended: [], 'no-address': [] };
    for (let i = 0; i < normalCount; i++) pools.normal.push(this.oldUser({}));
    for (let i = 0; i < suspendedCount; i++) pools.suspended.push(this.oldUser({ status: 'suspended' }));
    for (let i = 0; i < noAddressCount; i++) pools['no-address'].push(this.oldUser({ noAddress: true }));

    // Orders placed by the allocator (normal traffic and the rejected ones), then dedicated patterns.
    const slots: SlotRequest[] = [];
    for (const code of REJECTION_CODES) for (let i = 0; i < perCode; i++) slots.push(this.invalidSlot([code], i));
    const comboSets: RejectionCode[][] = [
      ['user-suspended', 'total-mismatch', 'unsupported-currency'],
      ['no-shipping-address', 'invalid-quantity'],
      ['unknown-user', 'invalid-price'],
      ['invalid-quantity', 'invalid-price', 'total-mismatch'],
    ];
    for (let i = 0; i < combos; i++) slots.push(this.invalidSlot(comboSets[i % comboSets.length] as RejectionCode[], i));
    for (let i = 0; i < mismatches; i++) slots.push(this.countryMismatchSlot());
    for (let i = 0; i < noAddressCount; i++) slots.push(this.noUserAddressValidSlot());

    const dedicated: PendingOrder[] = [];
    // Time span: enough hours that the normal pool stays well under its per-hour limit.
    const plannedDedicated = velocityUsers * 8 + 5 + 8 + amountUsers * 3 + 2 + newAccounts + 1 + 1;
    const normalOrders = orderCount - slots.length - plannedDedicated;
    if (normalOrders < 0) {
      throw new ScenarioError(`orders=${orderCount} is too few for the planted patterns: need at least ${orderCount - normalOrders}`);
    }
    const hours = Math.max(6, Math.ceil((normalOrders + slots.length) / (normalCount * 1.25)));
    const spanMs = hours * HOUR_MS;
    const start = SCENARIO_START;
    const end = start + spanMs;

    // Dedicated patterns (their counts are exact; padding below makes the total come out at `orders`).
    let dedicatedOrders = 0;
    for (let i = 0; i < velocityUsers; i++) {
      const burst = r.int(6, 8);
      dedicated.push(
        ...this.burst(this.dedicatedUser(), this.randomWindow(start, end, VELOCITY_WINDOW_MS), burst, { kind: 'fraud', rule: 'velocity' }),
      );
      dedicatedOrders += burst;
    }
    dedicated.push(
      ...this.burst(this.dedicatedUser(), this.randomWindow(start, end, VELOCITY_WINDOW_MS), 5, {
        kind: 'control',
        tag: 'velocity-at-threshold',
      }),
    );
    dedicated.push(...this.splitBurst(this.dedicatedUser(), this.randomWindow(start, end - VELOCITY_WINDOW_MS, VELOCITY_WINDOW_MS)));
    dedicatedOrders += 5 + 8;
    for (let i = 0; i < amountUsers; i++) dedicated.push(...this.amountSpike(this.dedicatedUser(), this.randomWindow(start, end, HOUR_MS)));
    dedicated.push(...this.amountAtThreshold(this.dedicatedUser(), this.randomWindow(start, end, HOUR_MS)));
    dedicatedOrders += amountUsers * 3 + 2;
    for (let i = 0; i < newAccounts; i++) dedicated.push(this.newAccountOrder(start, end, 'large'));
    dedicated.push(this.newAccountOrder(start, end, 'small'));
    dedicated.push(this.oldAccountLargeOrder(start, end));
    dedicatedOrders += newAccounts + 2;

    const padding = orderCount - slots.length - dedicatedOrders;
    for (let i = 0; i < padding; i++) slots.push(this.normalSlot());

    const allocated = this.allocate(r.shuffle(slots), pools, start, spanMs);
    const all = [...allocated, ...dedicated].sort((a, b) => a.placedAtMs - b.placedAtMs || a.userId.localeCompare(b.userId));
    const orderPrefix = `o${seed.toString(36)}`;
    const channels = new Random(seed ^ CHANNEL_STREAM);
    const orders: OrderRequest[] = all.map((p, index) => {
      const orderId = `${orderPrefix}-${String(index + 1).padStart(6, '0')}`;
      const channel = drawChannel(channels);
      return {
        index,
        idempotencyKey: `lg-${seed}-${orderId}`,
        intent: p.intent,
        omitShippingAddress: p.omitShippingAddress,
        body: {
          orderId,
          userId: p.userId,
          lines: p.lines,
          currency: p.currency,
          totalCents: p.totalCents,
          shippingAddress: p.shippingAddress,
          placedAt: isoOf(p.placedAtMs),
          ...(channel === null ? {} : { channel }),
        },
      };
    });
    if (orders.length !== orderCount) throw new ScenarioError(`internal: built ${orders.length} orders, wanted ${orderCount}`);
    const changed = this.userChanges(orders, pools.normal, new Random(seed ^ CHANGE_STREAM));

    return {
      seed,
      startsAt: isoOf(start),
      endsAt: isoOf(end),
      users: [...this.users].sort((a, b) => a.id.localeCompare(b.id)),
      orders: changed.orders,
      userChanges: changed.changes,
      badRequests: this.badRequests(orders[0]?.body, seed),
    };
  }

  // ---- users changing while their orders flow ---------------------------------------------------------------

  /**
   * About 4% of the normal users change at a few points of the order stream, each between two of their orders:
   * moved (same country), relocated (other country: only users whose later orders ship to their address, so no
   * country mismatch appears), suspended or deleted. The orders they send from then on are relabelled with what
   * the rules make of them (user-suspended; unknown-user, and no-shipping-address without an own address).
   */
  private userChanges(
    orders: readonly OrderRequest[],
    normal: readonly UserRecord[],
    rand: Random,
  ): { orders: OrderRequest[]; changes: ScenarioUserChange[] } {
    const points = Math.min(8, Math.max(2, Math.floor(orders.length / 400)));
    const perPoint = Math.max(1, Math.ceil((normal.length * 0.04) / points));
    const indicesOf = new Map<string, number[]>();
    orders.forEach((o, i) => indicesOf.set(o.body.userId, [...(indicesOf.get(o.body.userId) ?? []), i]));
    const kinds: readonly ScenarioUserChange['kind'][] = ['moved', 'suspended', 'relocated', 'deleted'];
    const relabelled = new Map<number, OrderIntent>();
    const changes: ScenarioUserChange[] = [];
    const changed = new Set<string>();
    for (let p = 1; p <= points; p++) {
      const at = Math.floor((orders.length * p) / (points + 1));
      const first = orders[at] as OrderRequest;
      const candidates = normal.filter((u) => {
        const indices = indicesOf.get(u.id) ?? [];
        const later = indices.filter((i) => i >= at);
        return (
          !changed.has(u.id) && indices.some((i) => i < at) && later.length > 0 && later.every((i) => orders[i]?.intent.kind === 'normal')
        );
      });
      for (const user of rand.shuffle(candidates).slice(0, perPoint)) {
        const later = (indicesOf.get(user.id) ?? []).filter((i) => i >= at);
        let kind = kinds[changes.length % kinds.length] as ScenarioUserChange['kind'];
        if (kind === 'relocated' && !later.every((i) => orders[i]?.body.shippingAddress === null)) kind = 'moved';
        const updatedAt = cdcTimestamp(Date.parse(first.body.placedAt) - 1_000);
        let record: UserRecord | null;
        if (kind === 'moved' || kind === 'relocated') {
          const home = PLACES.find((place) => place.country === user.country) ?? (PLACES[0] as Place);
          const place = kind === 'moved' ? home : rand.pick(PLACES.filter((x) => x.country !== user.country));
          const address = this.addressFrom(place, rand);
          const { line1, city, postalCode } = address;
          record = {
            ...user,
            country: place.country,
            region: place.region,
            address_line1: line1,
            city,
            postal_code: postalCode,
            updated_at: updatedAt,
          };
        } else if (kind === 'suspended') {
          record = { ...user, status: 'suspended', updated_at: updatedAt };
        } else {
          record = null;
        }
        changes.push({ beforeOrderId: first.body.orderId, kind, userId: user.id, record });
        changed.add(user.id);
        for (const i of later) {
          const order = orders[i] as OrderRequest;
          if (kind === 'suspended') relabelled.set(i, { kind: 'invalid', codes: ['user-suspended'] });
          if (kind === 'deleted') {
            const hasAddress = order.body.shippingAddress !== null;
            relabelled.set(i, { kind: 'invalid', codes: hasAddress ? ['unknown-user'] : ['unknown-user', 'no-shipping-address'] });
          }
        }
      }
    }
    return { orders: orders.map((o, i) => ({ ...o, intent: relabelled.get(i) ?? o.intent })), changes };
  }

  private addressFrom(place: Place, rand: Random): Address {
    return {
      line1: `${rand.int(1, 250)} ${rand.pick(place.streets)}`,
      city: rand.pick(place.cities),
      postalCode: rand.digits(place.postalDigits),
      country: place.country,
    };
  }

  // ---- users --------------------------------------------------------------------------------------------

  private address(place: Place): Address {
    return this.addressFrom(place, this.rand);
  }

  private user(createdAtMs: number, opts: { status?: UserStatus; noAddress?: boolean; updatedAtMs?: number }): UserRecord {
    const r = this.rand;
    const place = r.pick(PLACES);
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    const id = r.uuid();
    const address = opts.noAddress ? null : this.address(place);
    const user: UserRecord = {
      id,
      email: `${first}.${last}.${id.slice(0, 8)}@example.com`.toLowerCase(),
      name: `${first} ${last}`,
      status: opts.status ?? 'active',
      country: place.country,
      region: place.region,
      address_line1: address?.line1 ?? null,
      city: address?.city ?? null,
      postal_code: address?.postalCode ?? null,
      created_at: cdcTimestamp(createdAtMs),
      updated_at: cdcTimestamp(opts.updatedAtMs ?? createdAtMs),
    };
    this.users.push(user);
    return user;
  }

  /** An account at least 60 days old when the scenario starts (its last update ≥ 30 days before it). */
  private oldUser(opts: { status?: UserStatus; noAddress?: boolean }): UserRecord {
    const createdAtMs = SCENARIO_START - this.rand.int(60, 1500) * DAY_MS - this.rand.int(0, DAY_MS / 1000) * 1000;
    return this.user(createdAtMs, { ...opts, updatedAtMs: createdAtMs + this.rand.int(0, 20) * DAY_MS });
  }

  private dedicatedUser(): UserRecord {
    return this.oldUser({});
  }

  // ---- lines ---------------------------------------------------------------------------------------------

  private normalLines(): OrderLineRequest[] {
    const r = this.rand;
    const count = r.int(1, 3);
    const products = r.shuffle(CATALOGUE).slice(0, count);
    let lines = products.map((p) => ({
      productId: p.productId,
      category: p.category,
      quantity: r.int(1, 3),
      unitPriceCents: p.priceCents,
    }));
    if (sum(lines) > NORMAL_MAX_TOTAL_CENTS) lines = lines.map((l) => ({ ...l, quantity: 1 }));
    return lines;
  }

  private premiumLine(totalCents: number, quantity: number): OrderLineRequest {
    const product = this.rand.pick(PREMIUM);
    return { productId: product.productId, category: product.category, quantity, unitPriceCents: totalCents / quantity };
  }

  private currency(): string {
    const roll = this.rand.next();
    return roll < 0.9 ? 'EUR' : roll < 0.95 ? 'USD' : 'GBP';
  }

  private ownCountryAddress(user: UserRecord): Address {
    const place = PLACES.find((p) => p.country === user.country) ?? (PLACES[0] as Place);
    return this.address(place);
  }

  // ---- allocated slots -------------------------------------------------------------------------------------

  private normalSlot(): SlotRequest {
    return {
      pool: 'normal',
      make: (user) => {
        if (!user) throw new Error('internal: normal slot without user');
        const lines = this.normalLines();
        const own = this.rand.chance(0.15);
        return {
          intent: { kind: 'normal', tag: own ? 'own-address' : 'user-address' },
          userId: user.id,
          lines,
          currency: this.currency(),
          totalCents: sum(lines),
          shippingAddress: own ? this.ownCountryAddress(user) : null,
          omitShippingAddress: !own && this.rand.chance(0.5),
        };
      },
    };
  }

  /** A user without an address on file who gives one with the order: valid. */
  private noUserAddressValidSlot(): SlotRequest {
    return {
      pool: 'no-address',
      make: (user) => {
        if (!user) throw new Error('internal: slot without user');
        const lines = this.normalLines();
        return {
          intent: { kind: 'normal', tag: 'no-user-address' },
          userId: user.id,
          lines,
          currency: 'EUR',
          totalCents: sum(lines),
          shippingAddress: this.ownCountryAddress(user),
          omitShippingAddress: false,
        };
      },
    };
  }

  private countryMismatchSlot(): SlotRequest {
    return {
      pool: 'normal',
      make: (user) => {
        if (!user) throw new Error('internal: slot without user');
        const lines = this.normalLines();
        const abroad = this.rand.pick(PLACES.filter((p) => p.country !== user.country));
        return {
          intent: { kind: 'fraud', rule: 'country-mismatch' },
          userId: user.id,
          lines,
          currency: 'EUR',
          totalCents: sum(lines),
          shippingAddress: this.address(abroad),
          omitShippingAddress: false,
        };
      },
    };
  }

  /**
   * An order that breaks exactly `codes`. unknown-user orders always carry an address, so whether
   * no-shipping-address applies to an unknown user never matters.
   */
  private invalidSlot(codes: readonly RejectionCode[], i: number): SlotRequest {
    const has = (code: RejectionCode) => codes.includes(code);
    const pool: SlotRequest['pool'] = has('unknown-user')
      ? 'unknown'
      : has('user-suspended')
        ? 'suspended'
        : has('no-shipping-address')
          ? 'no-address'
          : 'normal';
    return {
      pool,
      make: (user) => {
        const r = this.rand;
        let lines = this.normalLines();
        if (has('invalid-quantity')) lines = lines.map((l, k) => (k === 0 ? { ...l, quantity: r.int(101, 250) } : l));
        if (has('invalid-price')) {
          const price = i % 2 === 0 ? 0 : r.int(1_000_001, 1_500_000);
          lines = lines.map((l, k) => (k === lines.length - 1 ? { ...l, unitPriceCents: price } : l));
        }
        let total = sum(lines);
        if (has('total-mismatch'))
          total = Math.max(0, total + (r.chance(0.5) ? r.int(1, 500) : -r.int(1, Math.max(1, Math.min(500, total)))));
        if (has('total-mismatch') && total === sum(lines)) total += 1;
        const userId = user ? user.id : this.unknownUserId();
        const needsNoAddress = has('no-shipping-address');
        const shippingAddress = needsNoAddress
          ? null
          : user && !has('unknown-user')
            ? r.chance(0.3)
              ? this.ownCountryAddress(user)
              : null
            : this.address(r.pick(PLACES));
        return {
          intent: { kind: 'invalid', codes: [...codes] },
          userId,
          lines,
          currency: has('unsupported-currency') ? r.pick(['JPY', 'CHF', 'SEK']) : 'EUR',
          totalCents: total,
          shippingAddress,
          omitShippingAddress: shippingAddress === null && r.chance(0.5),
        };
      },
    };
  }

  private unknownUserId(): string {
    this.unknownCounter += 1;
    return `ghost-${this.sizes.seed.toString(36)}-${this.unknownCounter}`;
  }

  /**
   * Gives every slot a time on an even spread over the span and a user of its pool who stays within the
   * normal limits (≤ 2 orders per 10-minute window, ≤ 3 per hour).
   */
  private allocate(slots: readonly SlotRequest[], pools: Record<Pool, UserRecord[]>, start: number, spanMs: number): PendingOrder[] {
    const counts = new Map<string, number>();
    const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    const step = spanMs / Math.max(1, slots.length);
    return slots.map((slot, i) => {
      const placedAtMs = start + Math.floor(((i + this.rand.next() * 0.9) * step) / 1000) * 1000;
      if (slot.pool === 'unknown') return { ...slot.make(null, placedAtMs), placedAtMs };
      const pool = pools[slot.pool];
      const w10 = windowStart(placedAtMs, VELOCITY_WINDOW_MS);
      const w60 = windowStart(placedAtMs, HOUR_MS);
      const offset = this.rand.int(0, pool.length - 1);
      for (let k = 0; k < pool.length; k++) {
        const user = pool[(offset + k) % pool.length] as UserRecord;
        if ((counts.get(`${user.id}|${w10}`) ?? 0) >= NORMAL_MAX_PER_10_MIN) continue;
        if ((counts.get(`${user.id}|h${w60}`) ?? 0) >= NORMAL_MAX_PER_HOUR) continue;
        bump(`${user.id}|${w10}`);
        bump(`${user.id}|h${w60}`);
        return { ...slot.make(user, placedAtMs), placedAtMs };
      }
      throw new ScenarioError(`no ${slot.pool} user can place another order at ${isoOf(placedAtMs)} within the normal limits: raise USERS`);
    });
  }

  // ---- dedicated patterns ------------------------------------------------------------------------------------

  /** Start of a random aligned window of `sizeMs` that lies inside [start, end). */
  private randomWindow(start: number, end: number, sizeMs: number): number {
    const first = Math.ceil(start / sizeMs);
    const last = Math.floor(end / sizeMs) - 1;
    return this.rand.int(first, last) * sizeMs;
  }

  /** `count` distinct whole seconds within [from, to). */
  private times(from: number, to: number, count: number): number[] {
    const chosen = new Set<number>();
    const seconds = Math.floor((to - from) / 1000);
    while (chosen.size < count) chosen.add(from + this.rand.int(0, seconds - 1) * 1000);
    return [...chosen].sort((a, b) => a - b);
  }

  private smallValidOrder(user: UserRecord, placedAtMs: number, intent: OrderIntent): PendingOrder {
    const lines = this.normalLines()
      .slice(0, 2)
      .map((l) => ({ ...l, quantity: 1 }));
    return {
      intent,
      placedAtMs,
      userId: user.id,
      lines,
      currency: 'EUR',
      totalCents: sum(lines),
      shippingAddress: null,
      omitShippingAddress: true,
    };
  }

  private burst(user: UserRecord, window: number, count: number, intent: OrderIntent): PendingOrder[] {
    return this.times(window + 5_000, window + VELOCITY_WINDOW_MS - 5_000, count).map((t) => this.smallValidOrder(user, t, intent));
  }

  /** 8 orders in 10 minutes, but 4 in one tumbling window and 4 in the next: no velocity alert. */
  private splitBurst(user: UserRecord, window: number): PendingOrder[] {
    const boundary = window + VELOCITY_WINDOW_MS;
    const intent: OrderIntent = { kind: 'control', tag: 'velocity-split-windows' };
    return [...this.times(boundary - 4 * MINUTE_MS, boundary - 1_000, 4), ...this.times(boundary, boundary + 4 * MINUTE_MS, 4)].map((t) =>
      this.smallValidOrder(user, t, intent),
    );
  }

  private largeOrder(user: UserRecord, placedAtMs: number, totalCents: number, intent: OrderIntent): PendingOrder {
    const quantity = totalCents % 200 === 0 && this.rand.chance(0.5) ? 2 : 1;
    const lines = [this.premiumLine(totalCents, quantity)];
    return { intent, placedAtMs, userId: user.id, lines, currency: 'EUR', totalCents, shippingAddress: null, omitShippingAddress: false };
  }

  /** Three orders of 180,000–250,000 cents in one hour: more than 500,000. */
  private amountSpike(user: UserRecord, hour: number): PendingOrder[] {
    return this.times(hour + MINUTE_MS, hour + HOUR_MS - MINUTE_MS, 3).map((t) =>
      this.largeOrder(user, t, this.rand.int(1_800, 2_500) * 100, { kind: 'fraud', rule: 'amount' }),
    );
  }

  /** Exactly 500,000 cents in one hour: not more than the limit, no alert. */
  private amountAtThreshold(user: UserRecord, hour: number): PendingOrder[] {
    const half = AMOUNT_MAX_CENTS / 2;
    return this.times(hour + MINUTE_MS, hour + HOUR_MS - MINUTE_MS, 2).map((t) =>
      this.largeOrder(user, t, half, { kind: 'control', tag: 'amount-at-threshold' }),
    );
  }

  private newAccountOrder(start: number, end: number, size: 'large' | 'small'): PendingOrder {
    const placedAtMs = this.times(start + HOUR_MS, end - HOUR_MS, 1)[0] as number;
    const user = this.user(placedAtMs - this.rand.int(1, 20) * HOUR_MS - this.rand.int(0, 3599) * 1000, {});
    if (size === 'small') return this.smallValidOrder(user, placedAtMs, { kind: 'control', tag: 'new-account-small-order' });
    return this.largeOrder(user, placedAtMs, this.rand.int(1_000, 1_500) * 100, { kind: 'fraud', rule: 'new-account-large-order' });
  }

  private oldAccountLargeOrder(start: number, end: number): PendingOrder {
    const placedAtMs = this.times(start + HOUR_MS, end - HOUR_MS, 1)[0] as number;
    return this.largeOrder(this.dedicatedUser(), placedAtMs, 150_000, { kind: 'control', tag: 'old-account-large-order' });
  }

  // ---- bad bodies -------------------------------------------------------------------------------------------

  private badRequests(template: OrderBody | undefined, seed: number): BadRequest[] {
    if (!template) return [];
    const id = (n: number) => `bad${seed.toString(36)}-${n}`;
    const base = (n: number): Record<string, unknown> => ({ ...template, orderId: id(n), shippingAddress: null });
    const line = template.lines[0] as OrderLineRequest;
    const variants: { label: string; body: Record<string, unknown> | string; orderId: string | null }[] = [
      { label: 'missing userId', body: (({ userId: _u, ...rest }) => rest)(base(1)), orderId: id(1) },
      { label: 'no lines', body: { ...base(2), lines: [] }, orderId: id(2) },
      { label: 'quantity 0', body: { ...base(3), lines: [{ ...line, quantity: 0 }] }, orderId: id(3) },
      { label: 'quantity as a string', body: { ...base(4), lines: [{ ...line, quantity: '2' }] }, orderId: id(4) },
      { label: 'lower-case currency', body: { ...base(5), currency: 'eur' }, orderId: id(5) },
      { label: 'negative total', body: { ...base(6), totalCents: -100 }, orderId: id(6) },
      { label: 'not JSON', body: `{"orderId": "${id(7)}", "userId": `, orderId: id(7) },
      { label: 'placedAt not a timestamp', body: { ...base(8), placedAt: 'yesterday' }, orderId: id(8) },
      { label: 'orderId with spaces', body: { ...base(9), orderId: 'bad id!' }, orderId: null },
      {
        label: 'country not ISO',
        body: { ...base(10), shippingAddress: { line1: '1 Main Street', city: 'Berlin', postalCode: '10115', country: 'Germany' } },
        orderId: id(10),
      },
      { label: 'fractional price', body: { ...base(11), lines: [{ ...line, unitPriceCents: 12.5 }] }, orderId: id(11) },
      { label: 'body is an array', body: [base(12)] as unknown as Record<string, unknown>, orderId: id(12) },
      { label: 'channel not in the vocabulary', body: { ...base(13), channel: 'fax' }, orderId: id(13) },
    ];
    return variants.map((v, n) => ({
      label: v.label,
      idempotencyKey: `lg-${seed}-bad-${n + 1}`,
      rawBody: typeof v.body === 'string' ? v.body : JSON.stringify(v.body),
      orderId: v.orderId,
    }));
  }
}

/** The scenario for `seed` and sizes. Throws ScenarioError when the sizes cannot hold the planted patterns. */
export function buildScenario(sizes: ScenarioSizes): Scenario {
  return new Builder(sizes).build();
}

/** The JSON text `POST /orders` receives for `order`. */
export function orderJson(order: OrderRequest): string {
  if (!order.omitShippingAddress) return JSON.stringify(order.body);
  const { shippingAddress: _omitted, ...rest } = order.body;
  return JSON.stringify(rest);
}
