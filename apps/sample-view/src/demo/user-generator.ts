import type { UserRecord } from '@shop/contracts';

/**
 * Pure, deterministic source of user changes for the demo: the same seed gives the same sequence of
 * creates, updates and deletes (timestamps come from the `now` the caller passes). The records are
 * exactly what change data capture of the monolith's users table publishes: a plain row keyed by the
 * user id, a tombstone (null) on delete.
 */

/** mulberry32: small, fast, good enough for demo data. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Place {
  readonly country: string;
  readonly region: string;
  readonly cities: readonly { readonly city: string; readonly postalCode: () => string }[];
  readonly streets: readonly string[];
}

const digits = (rand: () => number, count: number) => Array.from({ length: count }, () => Math.floor(rand() * 10)).join('');

function places(rand: () => number): readonly Place[] {
  const d = (count: number) => () => digits(rand, count);
  return [
    {
      country: 'DE',
      region: 'europe',
      cities: [
        { city: 'Berlin', postalCode: d(5) },
        { city: 'Hamburg', postalCode: d(5) },
        { city: 'München', postalCode: d(5) },
      ],
      streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg'],
    },
    {
      country: 'FR',
      region: 'europe',
      cities: [
        { city: 'Paris', postalCode: d(5) },
        { city: 'Lyon', postalCode: d(5) },
      ],
      streets: ['Rue de la Paix', 'Avenue Victor Hugo'],
    },
    {
      country: 'GB',
      region: 'europe',
      cities: [
        { city: 'London', postalCode: () => `N${digits(rand, 1)} ${digits(rand, 1)}GU` },
        { city: 'Leeds', postalCode: () => `LS${digits(rand, 1)} ${digits(rand, 1)}AB` },
      ],
      streets: ['High Street', 'Station Road'],
    },
    {
      country: 'NL',
      region: 'europe',
      cities: [{ city: 'Amsterdam', postalCode: () => `10${digits(rand, 2)} AB` }],
      streets: ['Keizersgracht', 'Damrak'],
    },
    {
      country: 'US',
      region: 'north-america',
      cities: [
        { city: 'New York', postalCode: d(5) },
        { city: 'Chicago', postalCode: d(5) },
        { city: 'Austin', postalCode: d(5) },
      ],
      streets: ['Main Street', 'Oak Avenue', 'Maple Drive'],
    },
    {
      country: 'CA',
      region: 'north-america',
      cities: [{ city: 'Toronto', postalCode: () => `M${digits(rand, 1)}V ${digits(rand, 1)}K${digits(rand, 1)}` }],
      streets: ['King Street', 'Queen Street'],
    },
    {
      country: 'BR',
      region: 'south-america',
      cities: [{ city: 'São Paulo', postalCode: () => `${digits(rand, 5)}-${digits(rand, 3)}` }],
      streets: ['Rua Augusta', 'Avenida Paulista'],
    },
    {
      country: 'JP',
      region: 'asia',
      cities: [
        { city: 'Tokyo', postalCode: () => `${digits(rand, 3)}-${digits(rand, 4)}` },
        { city: 'Osaka', postalCode: () => `${digits(rand, 3)}-${digits(rand, 4)}` },
      ],
      streets: ['Chuo-dori', 'Meiji-dori'],
    },
    {
      country: 'IN',
      region: 'asia',
      cities: [
        { city: 'Bengaluru', postalCode: d(6) },
        { city: 'Mumbai', postalCode: d(6) },
      ],
      streets: ['MG Road', 'Linking Road'],
    },
    {
      country: 'AU',
      region: 'oceania',
      cities: [
        { city: 'Sydney', postalCode: d(4) },
        { city: 'Melbourne', postalCode: d(4) },
      ],
      streets: ['George Street', 'Collins Street'],
    },
    { country: 'NG', region: 'africa', cities: [{ city: 'Lagos', postalCode: d(6) }], streets: ['Broad Street', 'Awolowo Road'] },
  ];
}

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
  'Anita',
  'Niklaus',
  'Sophie',
  'Yukihiro',
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
  'Berners-Lee',
  'Allen',
  'Torvalds',
  'Lamarr',
  'Backus',
  'Johnson',
  'van Rossum',
  'Borg',
  'Wirth',
  'Wilson',
  'Matsumoto',
];

export type UserChange =
  | { readonly kind: 'create' | 'update'; readonly key: string; readonly value: UserRecord; readonly detail: string }
  | { readonly kind: 'delete'; readonly key: string; readonly value: null; readonly detail: string };

export interface UserGeneratorOptions {
  readonly seed: number;
  /** Above this many live users the feed mostly updates and deletes. Default 500. */
  readonly targetPopulation?: number;
}

/** Debezium renders timestamptz with microseconds: 2026-11-25T10:00:00.123000Z. */
export function cdcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class UserGenerator {
  private readonly rand: () => number;
  private readonly places: readonly Place[];
  private readonly live = new Map<string, UserRecord>();
  private readonly liveIds: string[] = [];
  private readonly target: number;

  constructor(options: UserGeneratorOptions) {
    this.rand = seededRandom(options.seed);
    this.places = places(this.rand);
    this.target = options.targetPopulation ?? 500;
  }

  get population(): number {
    return this.live.size;
  }

  /** The next change: mostly creates while the population is small, then mostly updates, a few deletes. */
  next(now: Date): UserChange {
    const roll = this.rand();
    const size = this.live.size;
    const createShare = size < 10 ? 1 : size < this.target ? 0.55 : 0.1;
    if (roll < createShare) return this.create(now);
    if (roll < createShare + (1 - createShare) * 0.88) return this.update(now);
    return this.delete();
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.rand() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A UUID v4 drawn from the seeded generator (the monolith keys users by UUID). */
  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.rand() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  private address(place: Place): Pick<UserRecord, 'country' | 'region' | 'address_line1' | 'city' | 'postal_code'> {
    const city = this.pick(place.cities);
    const hasAddress = this.rand() > 0.05; // a few users never entered one
    return {
      country: place.country,
      region: place.region,
      address_line1: hasAddress ? `${1 + Math.floor(this.rand() * 200)} ${this.pick(place.streets)}` : null,
      city: hasAddress ? city.city : null,
      postal_code: hasAddress ? city.postalCode() : null,
    };
  }

  private name(): { name: string; email: string } {
    const first = this.pick(FIRST_NAMES);
    const last = this.pick(LAST_NAMES);
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    return { name: `${first} ${last}`, email: `${local}.${digits(this.rand, 4)}@example.com` };
  }

  private create(now: Date): UserChange {
    const id = this.uuid();
    const at = cdcTimestamp(now);
    const user: UserRecord = {
      id,
      ...this.name(),
      status: 'active',
      ...this.address(this.pick(this.places)),
      created_at: at,
      updated_at: at,
    };
    this.live.set(id, user);
    this.liveIds.push(id);
    return { kind: 'create', key: id, value: user, detail: `${user.name} in ${user.city ?? user.country}` };
  }

  private update(now: Date): UserChange {
    const id = this.pick(this.liveIds);
    const before = this.live.get(id);
    if (!before) throw new Error(`unknown live user ${id}`);
    const roll = this.rand();
    let after: UserRecord;
    let detail: string;
    if (roll < 0.45) {
      // Moved within the country.
      after = { ...before, ...this.address(this.places.find((p) => p.country === before.country) ?? this.pick(this.places)) };
      detail = `moved to ${after.city ?? 'an unknown address'}`;
    } else if (roll < 0.65) {
      // Moved abroad: country and region change, which the order and shipping services care about.
      after = { ...before, ...this.address(this.pick(this.places.filter((p) => p.country !== before.country))) };
      detail = `moved abroad to ${after.country}`;
    } else if (roll < 0.9) {
      after = { ...before, name: this.name().name };
      detail = `renamed to ${after.name}`;
    } else {
      after = { ...before, status: before.status === 'active' ? 'suspended' : 'active' };
      detail = `now ${after.status}`;
    }
    after = { ...after, updated_at: cdcTimestamp(now) };
    this.live.set(id, after);
    return { kind: 'update', key: id, value: after, detail };
  }

  private delete(): UserChange {
    const index = Math.floor(this.rand() * this.liveIds.length);
    const [id] = this.liveIds.splice(index, 1);
    if (id === undefined) throw new Error('no live user to delete');
    const user = this.live.get(id);
    this.live.delete(id);
    return { kind: 'delete', key: id, value: null, detail: `deleted ${user?.name ?? id}` };
  }
}
