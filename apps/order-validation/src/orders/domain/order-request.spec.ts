import { canonicalJson, parseIdempotencyKey, parsePlaceOrderRequest, placedAtProblem, requestHash, resolveOrder } from './order-request';

const body = {
  userId: 'u-1',
  lines: [{ productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1500 }],
  currency: 'EUR',
  totalCents: 3000,
};

describe('POST /orders body', () => {
  it('accepts the minimal body and fills orderId and placedAt', () => {
    const parsed = parsePlaceOrderRequest(body);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const now = new Date('2026-11-25T10:00:00.000Z');
    expect(resolveOrder(parsed.request, { newOrderId: () => 'generated', now })).toEqual({
      ...body,
      orderId: 'generated',
      shippingAddress: null,
      placedAt: '2026-11-25T10:00:00.000Z',
    });
  });

  it('keeps a given orderId, address and placedAt', () => {
    const full = {
      ...body,
      orderId: 'o-1',
      shippingAddress: { line1: 'a', city: 'b', postalCode: 'c', country: 'FR' },
      placedAt: '2026-11-25T09:00:00+01:00',
    };
    const parsed = parsePlaceOrderRequest(full);
    expect(parsed.ok && resolveOrder(parsed.request, { newOrderId: () => 'x', now: new Date() })).toEqual(full);
  });

  it('keeps a channel, and refuses one outside the vocabulary with the words it takes', () => {
    const parsed = parsePlaceOrderRequest({ ...body, channel: 'api' });
    expect(parsed.ok && resolveOrder(parsed.request, { newOrderId: () => 'x', now: new Date() })).toMatchObject({ channel: 'api' });
    expect(parsePlaceOrderRequest({ ...body, channel: 'fax' })).toEqual({
      ok: false,
      reasons: ['channel: Invalid option: expected one of "web"|"mobile"|"api"'],
    });
  });

  it('gives a request without a channel the same idempotency hash as before the field existed', () => {
    const parsed = parsePlaceOrderRequest(body);
    expect(parsed.ok && requestHash(parsed.request)).toBe(requestHash(body as Parameters<typeof requestHash>[0]));
    expect(parsed.ok && Object.keys(resolveOrder(parsed.request, { newOrderId: () => 'x', now: new Date() }))).not.toContain('channel');
  });

  it('lists every issue with its path', () => {
    const parsed = parsePlaceOrderRequest({
      userId: '',
      lines: [{ productId: 'p-1', category: 'books', quantity: 0, unitPriceCents: 1.5 }],
      currency: 'euro',
      shippingAddress: { line1: 'a', city: 'b', postalCode: 'c', country: 'France' },
      placedAt: 'yesterday',
    });
    expect(parsed.ok).toBe(false);
    const reasons = parsed.ok ? [] : parsed.reasons;
    expect(reasons.map((r) => r.split(':')[0])).toEqual([
      'userId',
      'userId',
      'lines.0.quantity',
      'lines.0.unitPriceCents',
      'currency',
      'totalCents',
      'shippingAddress.country',
      'placedAt',
    ]);
  });

  it.each([null, 'text', 42, []])('rejects a body that is not an object (%p)', (value) => {
    const parsed = parsePlaceOrderRequest(value);
    expect(parsed.ok ? [] : parsed.reasons).toEqual([expect.stringMatching(/^\(body\): /)]);
  });

  it('rejects no lines and more than 100 lines', () => {
    expect(parsePlaceOrderRequest({ ...body, lines: [] }).ok).toBe(false);
    expect(parsePlaceOrderRequest({ ...body, lines: Array.from({ length: 101 }, () => body.lines[0]) }).ok).toBe(false);
  });
});

describe('request fingerprint', () => {
  it('ignores key order and unknown fields, not values', () => {
    const a = parsePlaceOrderRequest(body);
    const b = parsePlaceOrderRequest({ totalCents: 3000, currency: 'EUR', extra: 1, lines: body.lines, userId: 'u-1' });
    const c = parsePlaceOrderRequest({ ...body, totalCents: 3001 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('bodies should parse');
    expect(requestHash(a.request)).toBe(requestHash(b.request));
    expect(requestHash(a.request)).not.toBe(requestHash(c.request));
  });

  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, b: null }], c: 'x' })).toBe('{"a":[{"b":null,"d":2}],"b":1,"c":"x"}');
  });
});

describe('Idempotency-Key header', () => {
  it('is optional', () => expect(parseIdempotencyKey(undefined)).toEqual({ ok: true, key: null }));
  it('takes visible ASCII up to 200 characters', () => {
    expect(parseIdempotencyKey('abc-123_X')).toEqual({ ok: true, key: 'abc-123_X' });
    expect(parseIdempotencyKey('k'.repeat(200)).ok).toBe(true);
  });
  it.each(['', 'with space', 'k'.repeat(201), 'ümlaut'])('refuses %p', (key) => expect(parseIdempotencyKey(key).ok).toBe(false));
  it('refuses the header twice', () => expect(parseIdempotencyKey(['a', 'b']).ok).toBe(false));
});

describe('placedAt ahead of the clock', () => {
  const now = new Date('2026-12-02T10:00:00.000Z');
  const at = (placedAt?: string) => ({ ...body, ...(placedAt === undefined ? {} : { placedAt }) });
  const parse = (b: unknown) => {
    const parsed = parsePlaceOrderRequest(b);
    if (!parsed.ok) throw new Error(parsed.reasons.join('; '));
    return parsed.request;
  };

  it('accepts an absent placedAt, any past one, and one up to the allowed skew ahead', () => {
    expect(placedAtProblem(parse(at()), now, 300_000)).toBeNull();
    expect(placedAtProblem(parse(at('1999-01-01T00:00:00Z')), now, 300_000)).toBeNull();
    expect(placedAtProblem(parse(at('2026-12-02T10:05:00.000Z')), now, 300_000)).toBeNull();
  });

  it('refuses one further ahead, with the reason (the year 3000 included), whatever offset it is written with', () => {
    expect(placedAtProblem(parse(at('2026-12-02T10:05:00.001Z')), now, 300_000)).toBe(
      "placedAt: is 301 s ahead of the service's clock (at most 300 s allowed)",
    );
    expect(placedAtProblem(parse(at('2026-12-02T12:00:00+01:00')), now, 300_000)).toMatch(/^placedAt: is 3600 s ahead/);
    expect(placedAtProblem(parse(at('3000-01-01T00:00:00Z')), now, 300_000)).toMatch(/^placedAt: is \d+ s ahead/);
    expect(placedAtProblem(parse(at('2026-12-02T10:00:01Z')), now, 0)).toMatch(/^placedAt: is 1 s ahead/);
  });
});
