import type { OrderPlaced } from '@shop/contracts';
import { evaluateOrder, linesTotalCents, rejectionReasons, userAddress, type UserSnapshot } from './order-rules';

const user = (overrides: Partial<UserSnapshot> = {}): UserSnapshot => ({
  id: 'u-1',
  status: 'active',
  country: 'DE',
  addressLine1: '1 Hauptstraße',
  city: 'Berlin',
  postalCode: '10115',
  ...overrides,
});

const order = (overrides: Partial<OrderPlaced> = {}): OrderPlaced => ({
  orderId: 'o-1',
  userId: 'u-1',
  lines: [
    { productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1500 },
    { productId: 'p-2', category: 'games', quantity: 1, unitPriceCents: 4999 },
  ],
  currency: 'EUR',
  totalCents: 7999,
  shippingAddress: null,
  placedAt: '2026-11-25T10:00:00.000Z',
  ...overrides,
});

const codes = (o: OrderPlaced, u: UserSnapshot | undefined) => rejectionReasons(o, u).map((r) => r.code);

describe('order rules', () => {
  it('validates a correct order and ships it to the user address with the user country', () => {
    expect(evaluateOrder(order(), user())).toEqual({
      status: 'validated',
      shippingAddress: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
    });
  });

  it("prefers the order's own shipping address", () => {
    const address = { line1: '5 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };
    expect(evaluateOrder(order({ shippingAddress: address }), user())).toEqual({ status: 'validated', shippingAddress: address });
    expect(evaluateOrder(order({ shippingAddress: address }), user({ addressLine1: null }))).toEqual({
      status: 'validated',
      shippingAddress: address,
    });
  });

  describe('unknown-user', () => {
    it('fires when the user is not in the view, with no-shipping-address when the order has no address', () => {
      expect(codes(order(), undefined)).toEqual(['unknown-user', 'no-shipping-address']);
      const reasons = rejectionReasons(order(), undefined);
      expect(reasons[0]?.message).toBe('user "u-1" is not in the users view');
    });
    it('is the only reason when the order brings its address (no user-suspended for a missing user)', () => {
      const address = { line1: 'x', city: 'y', postalCode: 'z', country: 'DE' };
      expect(codes(order({ shippingAddress: address }), undefined)).toEqual(['unknown-user']);
      expect(evaluateOrder(order({ shippingAddress: address }), undefined).status).toBe('rejected');
    });
  });

  it('user-suspended fires for any status other than active', () => {
    expect(codes(order(), user({ status: 'suspended' }))).toEqual(['user-suspended']);
    expect(rejectionReasons(order(), user({ status: 'suspended' }))[0]?.message).toMatch(/is suspended, not active/);
    expect(codes(order(), user({ status: 'active' }))).toEqual([]);
  });

  describe('no-shipping-address', () => {
    it.each([
      ['address_line1', { addressLine1: null }],
      ['city', { city: null }],
      ['postal_code', { postalCode: null }],
      ['a blank address_line1', { addressLine1: '  ' }],
      ['an empty city', { city: '' }],
    ])('fires when the order has none and the user lacks %s', (_what, overrides) => {
      expect(codes(order(), user(overrides))).toEqual(['no-shipping-address']);
      expect(userAddress(user(overrides))).toBeUndefined();
    });
  });

  describe('invalid-quantity', () => {
    it.each([0, -1, 101, 10_000, 1.5])('fires for quantity %p', (quantity) => {
      const o = order({
        lines: [{ productId: 'p-1', category: 'c', quantity, unitPriceCents: 100 }],
        totalCents: Math.round(quantity * 100),
      });
      expect(codes(o, user())).toContain('invalid-quantity');
    });
    it.each([1, 100])('accepts the bounds (%p)', (quantity) => {
      const o = order({ lines: [{ productId: 'p-1', category: 'c', quantity, unitPriceCents: 100 }], totalCents: quantity * 100 });
      expect(codes(o, user())).toEqual([]);
    });
    it('names the bad lines in one reason, and lists at most five', () => {
      const lines = Array.from({ length: 8 }, (_, i) => ({ productId: `p-${i}`, category: 'c', quantity: 200, unitPriceCents: 1 }));
      const reasons = rejectionReasons(order({ lines, totalCents: 1600 }), user());
      expect(reasons).toHaveLength(1);
      expect(reasons[0]?.message).toBe(
        'every quantity must be 1 to 100: line 0 (p-0): 200, line 1 (p-1): 200, line 2 (p-2): 200, line 3 (p-3): 200, line 4 (p-4): 200, and 3 more',
      );
    });
  });

  describe('invalid-price', () => {
    it.each([0, 1_000_001, 1e11])('fires for unitPriceCents %p', (unitPriceCents) => {
      const o = order({ lines: [{ productId: 'p-1', category: 'c', quantity: 1, unitPriceCents }], totalCents: unitPriceCents });
      expect(codes(o, user())).toEqual(['invalid-price']);
    });
    it.each([1, 1_000_000])('accepts the bounds (%p)', (unitPriceCents) => {
      const o = order({ lines: [{ productId: 'p-1', category: 'c', quantity: 1, unitPriceCents }], totalCents: unitPriceCents });
      expect(codes(o, user())).toEqual([]);
    });
  });

  describe('total-mismatch', () => {
    it('fires when totalCents is not Σ quantity × unitPriceCents', () => {
      expect(codes(order({ totalCents: 8000 }), user())).toEqual(['total-mismatch']);
      expect(rejectionReasons(order({ totalCents: 0 }), user())[0]?.message).toBe(
        'totalCents is 0 but the lines add up to 7999 (Σ quantity × unitPriceCents)',
      );
    });
    it('adds exactly beyond 2^53', () => {
      const lines = Array.from({ length: 100 }, (_, i) => ({ productId: `p-${i}`, category: 'c', quantity: 10_000, unitPriceCents: 1e11 }));
      expect(linesTotalCents(lines)).toBe(100n * 10_000n * 100_000_000_000n);
    });
  });

  it.each(['JPY', 'CHF', 'eur'])('unsupported-currency fires for %s', (currency) => {
    expect(codes(order({ currency }), user())).toEqual(['unsupported-currency']);
  });
  it.each(['EUR', 'USD', 'GBP'])('accepts %s', (currency) => {
    expect(codes(order({ currency }), user())).toEqual([]);
  });

  it('returns every failing rule, in the order of the spec table', () => {
    const bad = order({
      lines: [{ productId: 'p-1', category: 'c', quantity: 0, unitPriceCents: 0 }],
      totalCents: 5,
      currency: 'JPY',
    });
    expect(codes(bad, user({ status: 'suspended', city: null }))).toEqual([
      'user-suspended',
      'no-shipping-address',
      'invalid-quantity',
      'invalid-price',
      'total-mismatch',
      'unsupported-currency',
    ]);
    const verdict = evaluateOrder(bad, undefined);
    expect(verdict.status === 'rejected' && verdict.reasons.map((r) => r.code)).toEqual([
      'unknown-user',
      'no-shipping-address',
      'invalid-quantity',
      'invalid-price',
      'total-mismatch',
      'unsupported-currency',
    ]);
  });

  it('keeps every message within 500 characters', () => {
    const longId = 'p'.repeat(64);
    const lines = Array.from({ length: 100 }, () => ({ productId: longId, category: 'c', quantity: 500, unitPriceCents: 1 }));
    for (const r of rejectionReasons(order({ lines, userId: 'u'.repeat(64) }), undefined)) {
      expect(r.message.length).toBeLessThanOrEqual(500);
    }
  });
});
