import { userRecordSchema } from '@shop/contracts';
import { isUserId, newUser, parseCreateUser, parseUserPatch } from './user-input';

const valid = { email: 'Ada@Example.com', name: 'Ada', country: 'DE', region: 'europe' };
const now = new Date('2026-11-25T10:00:00.123Z');

describe('parseCreateUser', () => {
  it('accepts the minimal body and lower-cases the e-mail', () => {
    expect(parseCreateUser(valid)).toEqual({ ok: true, value: { ...valid, email: 'ada@example.com' } });
  });

  it('accepts every field', () => {
    const body = { ...valid, id: 'u-1', status: 'suspended', address_line1: '1 Hauptstraße', city: 'Berlin', postal_code: '10115' };
    expect(parseCreateUser(body)).toMatchObject({ ok: true, value: { id: 'u-1', status: 'suspended', postal_code: '10115' } });
    expect(parseCreateUser({ ...valid, address_line1: null, city: null, postal_code: null }).ok).toBe(true);
  });

  it('lists every reason', () => {
    const result = parseCreateUser({ email: 'nope', name: ' ', country: 'de', status: 'gone', id: 'a b', city: '', extra: 1 });
    expect(result.ok).toBe(false);
    const reasons = result.ok ? [] : result.reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\(body\): unknown field\(s\) "extra"$/),
        expect.stringMatching(/^id: /),
        expect.stringMatching(/^email: /),
        'name: must not be blank',
        expect.stringMatching(/^country: an ISO 3166-1 alpha-2 code/),
        'region: is required',
        'status: must be "active" or "suspended"',
        expect.stringMatching(/^city: /),
      ]),
    );
    expect(reasons).toHaveLength(8);
  });

  it('enforces the contract lengths', () => {
    const result = parseCreateUser({
      ...valid,
      name: 'x'.repeat(201),
      region: 'r'.repeat(51),
      postal_code: '1'.repeat(21),
      id: 'i'.repeat(65),
    });
    expect(result.ok ? [] : result.reasons.map((r) => r.split(':')[0])).toEqual(['id', 'name', 'region', 'postal_code']);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'user', 42, undefined]) {
      expect(parseCreateUser(body)).toEqual({ ok: false, reasons: [expect.stringMatching(/^\(body\): /)] });
    }
  });

  it('refuses timestamps set by the client', () => {
    expect(parseCreateUser({ ...valid, created_at: now.toISOString() })).toEqual({
      ok: false,
      reasons: ['(body): unknown field(s) "created_at"'],
    });
  });
});

describe('parseUserPatch', () => {
  it('accepts any subset of fields; null clears an address field', () => {
    expect(parseUserPatch({ city: null, status: 'suspended' })).toEqual({ ok: true, value: { city: null, status: 'suspended' } });
  });

  it('refuses an empty patch, null for required fields, and immutable fields', () => {
    expect(parseUserPatch({})).toEqual({ ok: false, reasons: ['(body): at least one field to change is required'] });
    const result = parseUserPatch({ name: null, id: 'x', created_at: 'y' });
    expect(result.ok ? [] : result.reasons).toEqual([
      expect.stringMatching(/^name: .*received null/),
      '(body): unknown field(s) "id", "created_at"',
    ]);
  });
});

describe('newUser', () => {
  it('applies the defaults and yields a valid UserRecord', () => {
    const parsed = parseCreateUser(valid);
    if (!parsed.ok) throw new Error('invalid fixture');
    const user = newUser(parsed.value, { newId: () => 'generated-id', now });
    expect(user).toEqual({
      id: 'generated-id',
      email: 'ada@example.com',
      name: 'Ada',
      status: 'active',
      country: 'DE',
      region: 'europe',
      address_line1: null,
      city: null,
      postal_code: null,
      created_at: '2026-11-25T10:00:00.123Z',
      updated_at: '2026-11-25T10:00:00.123Z',
    });
    expect(userRecordSchema.safeParse(user).success).toBe(true);
  });

  it('keeps an id given by the client', () => {
    const parsed = parseCreateUser({ ...valid, id: 'u-7' });
    if (!parsed.ok) throw new Error('invalid fixture');
    expect(newUser(parsed.value, { newId: () => 'unused', now }).id).toBe('u-7');
  });
});

describe('isUserId', () => {
  it('follows the contract id format', () => {
    expect(isUserId('3f1c2a9e-7a1b-4c1d-9e2f-0a1b2c3d4e5f')).toBe(true);
    expect(isUserId('a b')).toBe(false);
    expect(isUserId('x'.repeat(65))).toBe(false);
  });
});
