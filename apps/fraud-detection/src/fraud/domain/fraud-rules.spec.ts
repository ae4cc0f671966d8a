import { idSchema } from '@shop/contracts';
import {
  AMOUNT_MAX_TOTAL_CENTS,
  countryMismatch,
  crossesThreshold,
  evaluateOrders,
  newAccountLargeOrder,
  safeAlertId,
  windowAlertEventId,
  windowAlertOf,
  windowDeltas,
  windowKey,
  windowsBeforeChunk,
  windowStartMs,
  WINDOW_SIZES,
  type UserFacts,
  type ValidatedOrderFacts,
  type WindowTotals,
} from './fraud-rules';

const TEN_MIN = WINDOW_SIZES['10m'];
const HOUR = WINDOW_SIZES['1h'];
const OLD_USER: UserFacts = { country: 'DE', createdAt: '2020-01-01T00:00:00.000Z' };

let seq = 0;
function order(placedAt: string, overrides: Partial<ValidatedOrderFacts> = {}): ValidatedOrderFacts {
  seq += 1;
  const orderId = overrides.orderId ?? `o-${seq}`;
  return { orderId, userId: 'u-1', totalCents: 1_000, shipCountry: 'DE', placedAt, verdictEventId: `${orderId}:verdict`, ...overrides };
}
/** Each order's user, by user id (the processor reads them by order, as of each order). */
const users = (entries: Record<string, UserFacts> = { 'u-1': OLD_USER }) => {
  const byUser = new Map(Object.entries(entries));
  return (order: ValidatedOrderFacts) => byUser.get(order.userId);
};
const noWindows = new Map<string, WindowTotals>();
const at = (iso: string) => Date.parse(iso);

describe('windowStartMs (UTC-aligned tumbling windows)', () => {
  it('puts the start of a window in that window and the last millisecond before the next one in it too', () => {
    expect(windowStartMs(at('2026-11-25T10:10:00.000Z'), TEN_MIN)).toBe(at('2026-11-25T10:10:00.000Z'));
    expect(windowStartMs(at('2026-11-25T10:19:59.999Z'), TEN_MIN)).toBe(at('2026-11-25T10:10:00.000Z'));
    expect(windowStartMs(at('2026-11-25T10:09:59.999Z'), TEN_MIN)).toBe(at('2026-11-25T10:00:00.000Z'));
    expect(windowStartMs(at('2026-11-25T10:59:59.999Z'), HOUR)).toBe(at('2026-11-25T10:00:00.000Z'));
    expect(windowStartMs(at('2026-11-25T11:00:00.000Z'), HOUR)).toBe(at('2026-11-25T11:00:00.000Z'));
  });

  it('aligns on UTC whatever offset the timestamp is written with', () => {
    // 12:35 at +02:00 is 10:35 UTC.
    expect(windowStartMs(at('2026-11-25T12:35:00+02:00'), TEN_MIN)).toBe(at('2026-11-25T10:30:00.000Z'));
    // India (+05:30): 16:05 local is 10:35 UTC, so the hour window starts at 10:00 UTC, not at a local hour.
    expect(windowStartMs(at('2026-11-25T16:05:00+05:30'), HOUR)).toBe(at('2026-11-25T10:00:00.000Z'));
  });

  it('handles microsecond timestamps and times before 1970', () => {
    expect(windowStartMs(at('2026-11-25T10:09:59.999999Z'), TEN_MIN)).toBe(at('2026-11-25T10:00:00.000Z'));
    expect(windowStartMs(at('1969-12-31T23:55:00.000Z'), TEN_MIN)).toBe(at('1969-12-31T23:50:00.000Z'));
  });
});

describe('crossesThreshold', () => {
  it('is true only when the value goes from at-or-below the threshold to above it', () => {
    expect(crossesThreshold(4, 5, 5)).toBe(false); // reaches it: not more than
    expect(crossesThreshold(5, 6, 5)).toBe(true);
    expect(crossesThreshold(0, 10, 5)).toBe(true); // jumps over it
    expect(crossesThreshold(6, 7, 5)).toBe(false); // already above: fired before
    expect(crossesThreshold(5, 5, 5)).toBe(false);
  });
});

describe('velocity: more than 5 validated orders in one 10-minute window', () => {
  const burst = (n: number, from = '2026-11-25T10:00:00.000Z', stepMs = 60_000) =>
    Array.from({ length: n }, (_, i) => order(new Date(at(from) + i * stepMs).toISOString()));

  it('does not fire on exactly 5 orders', () => {
    expect(evaluateOrders(burst(5), users(), noWindows)).toEqual([]);
  });

  it('fires once, on the 6th order, with the window as evidence', () => {
    const orders = burst(8);
    const alerts = evaluateOrders(orders, users(), noWindows).filter((a) => a.rule === 'velocity');
    expect(alerts).toEqual([
      {
        alertId: 'u-1-velocity-2026-11-25T10-00-00-000Z',
        eventId: 'u-1:velocity:2026-11-25T10:00:00.000Z',
        rule: 'velocity',
        userId: 'u-1',
        orderId: orders[5]?.orderId,
        evidence: {
          windowSize: '10m',
          windowStart: '2026-11-25T10:00:00.000Z',
          windowEnd: '2026-11-25T10:10:00.000Z',
          orderCount: 6,
          totalCents: 6_000,
          maxOrders: 5,
        },
        raisedAt: orders[5]?.placedAt,
        causationId: `${orders[5]?.orderId}:verdict`,
      },
    ]);
  });

  it('counts windows separately: 5 before and 1 at the boundary do not fire', () => {
    const orders = [...burst(5, '2026-11-25T10:05:00.000Z', 1_000), order('2026-11-25T10:10:00.000Z')];
    expect(evaluateOrders(orders, users(), noWindows).filter((a) => a.rule === 'velocity')).toEqual([]);
  });

  it('counts users separately', () => {
    const orders = [...burst(3), ...burst(3).map((o) => ({ ...o, userId: 'u-2' }))];
    expect(evaluateOrders(orders, users({ 'u-1': OLD_USER, 'u-2': OLD_USER }), noWindows)).toEqual([]);
  });

  it('starts from the window as it was before the chunk', () => {
    const start = at('2026-11-25T10:00:00.000Z');
    const before = (count: number) => new Map([[windowKey('u-1', '10m', start), { orderCount: count, totalCents: count * 1_000 }]]);
    const next = order('2026-11-25T10:03:00.000Z');
    expect(evaluateOrders([next], users(), before(4))).toEqual([]);
    const fired = evaluateOrders([next], users(), before(5));
    expect(fired.map((a) => [a.rule, a.orderId, a.evidence['orderCount']])).toEqual([['velocity', next.orderId, 6]]);
    // Already above: the window fired in an earlier chunk.
    expect(evaluateOrders([next], users(), before(6))).toEqual([]);
  });

  it('applies several orders of the same window in one chunk in offset order (out-of-order event times too)', () => {
    const start = at('2026-11-25T10:00:00.000Z');
    const before = new Map([[windowKey('u-1', '10m', start), { orderCount: 3, totalCents: 3_000 }]]);
    const chunk = [
      order('2026-11-25T10:09:00.000Z'),
      order('2026-11-25T10:01:00.000Z'),
      order('2026-11-25T10:05:00.000Z'),
      order('2026-11-25T10:02:00.000Z'),
    ];
    const fired = evaluateOrders(chunk, users(), before).filter((a) => a.rule === 'velocity');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ orderId: chunk[2]?.orderId, raisedAt: '2026-11-25T10:05:00.000Z', evidence: { orderCount: 6 } });
  });

  it('fires once per window: two windows crossing in one chunk give two alerts', () => {
    const orders = [...burst(6, '2026-11-25T10:00:00.000Z', 1_000), ...burst(6, '2026-11-25T10:10:00.000Z', 1_000)];
    const fired = evaluateOrders(orders, users(), noWindows).filter((a) => a.rule === 'velocity');
    expect(fired.map((a) => a.eventId)).toEqual(['u-1:velocity:2026-11-25T10:00:00.000Z', 'u-1:velocity:2026-11-25T10:10:00.000Z']);
  });
});

describe('amount: more than 500,000 cents in one 1-hour window', () => {
  it('does not fire on a total of exactly 500,000', () => {
    const orders = [order('2026-11-25T10:00:00.000Z', { totalCents: 250_000 }), order('2026-11-25T10:59:59.999Z', { totalCents: 250_000 })];
    expect(evaluateOrders(orders, users(), noWindows)).toEqual([]);
  });

  it('fires once on the order that takes the total above 500,000', () => {
    const orders = [
      order('2026-11-25T10:00:00.000Z', { totalCents: 250_000 }),
      order('2026-11-25T10:30:00.000Z', { totalCents: 250_000 }),
      order('2026-11-25T10:40:00.000Z', { totalCents: 1 }),
      order('2026-11-25T10:50:00.000Z', { totalCents: 90_000 }),
    ];
    const fired = evaluateOrders(orders, users(), noWindows);
    expect(fired).toEqual([
      expect.objectContaining({
        rule: 'amount',
        eventId: 'u-1:amount:2026-11-25T10:00:00.000Z',
        alertId: 'u-1-amount-2026-11-25T10-00-00-000Z',
        orderId: orders[2]?.orderId,
        evidence: {
          windowSize: '1h',
          windowStart: '2026-11-25T10:00:00.000Z',
          windowEnd: '2026-11-25T11:00:00.000Z',
          orderCount: 3,
          totalCents: 500_001,
          maxTotalCents: AMOUNT_MAX_TOTAL_CENTS,
        },
      }),
    ]);
  });

  it('fires on a single order above the threshold, and not again for the next one', () => {
    const big = order('2026-11-25T10:00:00.000Z', { totalCents: 600_000 });
    const fired = evaluateOrders([big, order('2026-11-25T10:10:00.000Z', { totalCents: 600_000 })], users(), noWindows);
    expect(fired.map((a) => [a.rule, a.orderId])).toEqual([['amount', big.orderId]]);
  });

  it('keeps hours apart (10:59:59.999 and 11:00 are different windows)', () => {
    const orders = [order('2026-11-25T10:59:59.999Z', { totalCents: 300_000 }), order('2026-11-25T11:00:00.000Z', { totalCents: 300_000 })];
    expect(evaluateOrders(orders, users(), noWindows)).toEqual([]);
  });

  it('starts from the window total before the chunk', () => {
    const before = new Map([[windowKey('u-1', '1h', at('2026-11-25T10:00:00.000Z')), { orderCount: 2, totalCents: 499_999 }]]);
    expect(evaluateOrders([order('2026-11-25T10:20:00.000Z', { totalCents: 1 })], users(), before)).toEqual([]);
    const fired = evaluateOrders([order('2026-11-25T10:20:00.000Z', { totalCents: 2 })], users(), before);
    expect(fired.map((a) => [a.rule, a.evidence['totalCents'], a.evidence['orderCount']])).toEqual([['amount', 500_001, 3]]);
  });
});

describe('country-mismatch', () => {
  it('fires when the order ships to another country than the user’s', () => {
    const o = order('2026-11-25T10:00:00.000Z', { shipCountry: 'FR', orderId: 'o-fr' });
    expect(countryMismatch(o, OLD_USER)).toEqual({
      alertId: 'o-fr-country-mismatch',
      eventId: 'o-fr:country-mismatch',
      rule: 'country-mismatch',
      userId: 'u-1',
      orderId: 'o-fr',
      evidence: { shippingCountry: 'FR', userCountry: 'DE' },
      raisedAt: '2026-11-25T10:00:00.000Z',
      causationId: 'o-fr:verdict',
    });
  });

  it('does not fire for the same country or an unknown user', () => {
    expect(countryMismatch(order('2026-11-25T10:00:00.000Z'), OLD_USER)).toBeUndefined();
    expect(countryMismatch(order('2026-11-25T10:00:00.000Z', { shipCountry: 'FR' }), undefined)).toBeUndefined();
  });
});

describe('new-account-large-order', () => {
  const created = '2026-11-24T10:00:00.000Z';
  const young: UserFacts = { country: 'DE', createdAt: created };

  it('fires on exactly 100,000 cents from an account younger than 24 h', () => {
    const o = order('2026-11-25T09:59:59.999Z', { totalCents: 100_000, orderId: 'o-big' });
    expect(newAccountLargeOrder(o, young)).toEqual({
      alertId: 'o-big-new-account-large-order',
      eventId: 'o-big:new-account-large-order',
      rule: 'new-account-large-order',
      userId: 'u-1',
      orderId: 'o-big',
      evidence: {
        totalCents: 100_000,
        minTotalCents: 100_000,
        accountCreatedAt: created,
        accountAgeSeconds: 86_399,
        maxAccountAgeHours: 24,
      },
      raisedAt: '2026-11-25T09:59:59.999Z',
      causationId: 'o-big:verdict',
    });
  });

  it('does not fire below 100,000 cents', () => {
    expect(newAccountLargeOrder(order('2026-11-24T11:00:00.000Z', { totalCents: 99_999 }), young)).toBeUndefined();
  });

  it('does not fire when the account is exactly 24 h old or older', () => {
    expect(newAccountLargeOrder(order('2026-11-25T10:00:00.000Z', { totalCents: 500_000 }), young)).toBeUndefined();
    expect(newAccountLargeOrder(order('2026-11-26T10:00:00.000Z', { totalCents: 500_000 }), young)).toBeUndefined();
  });

  it('fires for an account created after placedAt (younger than 24 h) and compares instants across offsets', () => {
    expect(newAccountLargeOrder(order('2026-11-24T09:00:00.000Z', { totalCents: 100_000 }), young)?.evidence['accountAgeSeconds']).toBe(
      -3_600,
    );
    // 11:59:59 at +02:00 = 09:59:59 UTC: 23:59:59 after creation.
    expect(newAccountLargeOrder(order('2026-11-25T11:59:59+02:00', { totalCents: 100_000 }), young)).toBeDefined();
    expect(newAccountLargeOrder(order('2026-11-25T12:00:00+02:00', { totalCents: 100_000 }), young)).toBeUndefined();
  });

  it('does not fire for an unknown user', () => {
    expect(newAccountLargeOrder(order('2026-11-24T11:00:00.000Z', { totalCents: 200_000 }), undefined)).toBeUndefined();
  });
});

describe('evaluateOrders', () => {
  it('raises every rule an order breaks, in rule order, with raisedAt = placedAt (normalized)', () => {
    const young = { country: 'DE', createdAt: '2026-11-25T09:00:00.000Z' };
    const o = order('2026-11-25T12:00:00+02:00', { totalCents: 600_000, shipCountry: 'US' });
    const fired = evaluateOrders([o], users({ 'u-1': young }), noWindows);
    expect(fired.map((a) => a.rule)).toEqual(['amount', 'country-mismatch', 'new-account-large-order']);
    expect(new Set(fired.map((a) => a.raisedAt))).toEqual(new Set(['2026-11-25T10:00:00.000Z']));
  });

  it('applies window rules to users the users view does not have (per-order rules need the user)', () => {
    const fired = evaluateOrders([order('2026-11-25T10:00:00.000Z', { totalCents: 600_000, shipCountry: 'US' })], users({}), noWindows);
    expect(fired.map((a) => a.rule)).toEqual(['amount']);
  });

  it('gives identical alerts for identical input (deterministic ids)', () => {
    const orders = [order('2026-11-25T10:00:00.000Z', { totalCents: 600_000, shipCountry: 'US' })];
    expect(evaluateOrders(orders, users(), noWindows)).toEqual(evaluateOrders(orders, users(), noWindows));
  });

  it('rejects an unparsable placedAt', () => {
    expect(() => evaluateOrders([order('yesterday')], users(), noWindows)).toThrow(/not an ISO-8601 timestamp/);
  });
});

describe('windowDeltas and windowsBeforeChunk', () => {
  it('adds each order once to its 10-minute and its 1-hour window, sorted by user, size and start', () => {
    const deltas = windowDeltas([
      order('2026-11-25T10:15:00.000Z', { userId: 'u-2', totalCents: 5 }),
      order('2026-11-25T10:01:00.000Z', { totalCents: 10 }),
      order('2026-11-25T10:12:00.000Z', { totalCents: 20 }),
      order('2026-11-25T10:02:00.000Z', { totalCents: 30 }),
    ]);
    expect(deltas).toEqual([
      { userId: 'u-1', size: '10m', startMs: at('2026-11-25T10:00:00.000Z'), orderCount: 2, totalCents: 40 },
      { userId: 'u-1', size: '10m', startMs: at('2026-11-25T10:10:00.000Z'), orderCount: 1, totalCents: 20 },
      { userId: 'u-1', size: '1h', startMs: at('2026-11-25T10:00:00.000Z'), orderCount: 3, totalCents: 60 },
      { userId: 'u-2', size: '10m', startMs: at('2026-11-25T10:10:00.000Z'), orderCount: 1, totalCents: 5 },
      { userId: 'u-2', size: '1h', startMs: at('2026-11-25T10:00:00.000Z'), orderCount: 1, totalCents: 5 },
    ]);
  });

  it('derives the totals before the chunk from the totals after it', () => {
    const deltas = windowDeltas([order('2026-11-25T10:01:00.000Z', { totalCents: 10 })]);
    const after = new Map([
      [windowKey('u-1', '10m', at('2026-11-25T10:00:00.000Z')), { orderCount: 4, totalCents: 100 }],
      [windowKey('u-1', '1h', at('2026-11-25T10:00:00.000Z')), { orderCount: 1, totalCents: 10 }],
    ]);
    expect(windowsBeforeChunk(deltas, after)).toEqual(
      new Map([
        [windowKey('u-1', '10m', at('2026-11-25T10:00:00.000Z')), { orderCount: 3, totalCents: 90 }],
        [windowKey('u-1', '1h', at('2026-11-25T10:00:00.000Z')), { orderCount: 0, totalCents: 0 }],
      ]),
    );
    expect(() => windowsBeforeChunk(deltas, new Map())).toThrow(/was not written/);
  });
});

describe('safeAlertId', () => {
  it('replaces ":" and "." so the id matches the contracts’ idSchema', () => {
    const id = safeAlertId('u-1:velocity:2026-11-25T10:00:00.000Z');
    expect(id).toBe('u-1-velocity-2026-11-25T10-00-00-000Z');
    expect(idSchema.safeParse(id).success).toBe(true);
  });

  it('shortens ids longer than 64 characters deterministically, keeping them distinct', () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const a = safeAlertId(`${uuid}:velocity:2026-11-25T10:00:00.000Z`);
    const b = safeAlertId(`${uuid}:velocity:2026-11-25T10:10:00.000Z`);
    expect(a).toHaveLength(64);
    expect(a).toBe(safeAlertId(`${uuid}:velocity:2026-11-25T10:00:00.000Z`));
    expect(a).not.toBe(b);
    expect(idSchema.safeParse(a).success).toBe(true);
    const longOrder = safeAlertId(`${'o'.repeat(64)}:new-account-large-order`);
    expect(idSchema.safeParse(longOrder).success).toBe(true);
  });
});

describe('windowAlertOf: the view of a window alert, by event time', () => {
  /** Deterministic shuffles (seeded LCG): the input order must not matter. */
  const shuffles = <T>(items: readonly T[], count = 20): T[][] => {
    let state = 42;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    return Array.from({ length: count }, () => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    });
  };
  const start = at('2026-11-25T10:00:00.000Z');
  const o = (orderId: string, placedAt: string, totalCents = 1_000) => order(placedAt, { orderId, totalCents });

  it('names the 6th order by (placedAt, orderId) for velocity, whatever the input order', () => {
    // Two orders share 10:03 (tie broken by orderId: "b" < "c"); the 6th is "e" at 10:05.
    const orders = [
      o('a', '2026-11-25T10:01:00.000Z', 100),
      o('c', '2026-11-25T10:03:00.000Z', 200),
      o('b', '2026-11-25T10:03:00.000Z', 300),
      o('d', '2026-11-25T10:04:00.000Z', 400),
      o('f', '2026-11-25T10:04:30.000Z', 500),
      o('e', '2026-11-25T10:05:00.000Z', 600),
      o('g', '2026-11-25T10:09:59.999Z', 700),
      o('h', '2026-11-25T10:00:00.000Z', 800),
    ];
    const expected = {
      alertId: 'u-1-velocity-2026-11-25T10-00-00-000Z',
      eventId: 'u-1:velocity:2026-11-25T10:00:00.000Z',
      rule: 'velocity',
      userId: 'u-1',
      orderId: 'f',
      evidence: {
        windowSize: '10m',
        windowStart: '2026-11-25T10:00:00.000Z',
        windowEnd: '2026-11-25T10:10:00.000Z',
        orderCount: 6,
        totalCents: 800 + 100 + 300 + 200 + 400 + 500,
        maxOrders: 5,
      },
      raisedAt: '2026-11-25T10:04:30.000Z',
      causationId: 'f:verdict',
    };
    for (const shuffled of shuffles(orders)) expect(windowAlertOf('velocity', 'u-1', start, shuffled)).toEqual(expected);
    expect(windowAlertEventId('velocity', 'u-1', start)).toBe(expected.eventId);
  });

  it('breaks placedAt ties by orderId', () => {
    const orders = ['o-6', 'o-2', 'o-5', 'o-1', 'o-4', 'o-3', 'o-7'].map((id) => o(id, '2026-11-25T10:05:00.000Z'));
    for (const shuffled of shuffles(orders)) {
      expect(windowAlertOf('velocity', 'u-1', start, shuffled)).toMatchObject({
        orderId: 'o-6',
        evidence: { orderCount: 6, totalCents: 6_000 },
      });
    }
  });

  it('names the first order at which the running total exceeds 500,000 cents for amount', () => {
    const orders = [
      o('late-big', '2026-11-25T10:50:00.000Z', 400_000),
      o('early', '2026-11-25T10:05:00.000Z', 200_000),
      o('middle', '2026-11-25T10:20:00.000Z', 300_000), // running total 500,000: not more than
      o('cross', '2026-11-25T10:30:00.000Z', 1), // 500,001
      o('after', '2026-11-25T10:40:00.000Z', 900_000),
    ];
    for (const shuffled of shuffles(orders)) {
      expect(windowAlertOf('amount', 'u-1', start, shuffled)).toEqual({
        alertId: 'u-1-amount-2026-11-25T10-00-00-000Z',
        eventId: 'u-1:amount:2026-11-25T10:00:00.000Z',
        rule: 'amount',
        userId: 'u-1',
        orderId: 'cross',
        evidence: {
          windowSize: '1h',
          windowStart: '2026-11-25T10:00:00.000Z',
          windowEnd: '2026-11-25T11:00:00.000Z',
          orderCount: 3,
          totalCents: AMOUNT_MAX_TOTAL_CENTS + 1,
          maxTotalCents: AMOUNT_MAX_TOTAL_CENTS,
        },
        raisedAt: '2026-11-25T10:30:00.000Z',
        causationId: 'cross:verdict',
      });
    }
  });

  it('gives nothing for a window that does not cross', () => {
    expect(windowAlertOf('velocity', 'u-1', start, [])).toBeUndefined();
    const five = ['a', 'b', 'c', 'd', 'e'].map((id) => o(id, '2026-11-25T10:01:00.000Z', 100_000));
    expect(windowAlertOf('velocity', 'u-1', start, five)).toBeUndefined();
    expect(windowAlertOf('amount', 'u-1', start, five)).toBeUndefined(); // exactly 500,000
  });

  it('agrees with evaluateOrders when the orders are processed in event-time order', () => {
    const orders =
      shuffles(
        Array.from({ length: 9 }, (_, i) => o(`s-${i}`, `2026-11-25T10:0${i}:00.000Z`, 90_000)),
        1,
      )[0] ?? [];
    const inEventTime = [...orders].sort((a, b) => at(a.placedAt) - at(b.placedAt));
    const processed = evaluateOrders(inEventTime, users(), noWindows).filter((a) => a.rule === 'velocity' || a.rule === 'amount');
    expect(processed).toEqual([windowAlertOf('velocity', 'u-1', start, orders), windowAlertOf('amount', 'u-1', start, orders)]);
  });
});
