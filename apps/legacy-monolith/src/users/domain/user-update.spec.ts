import type { User } from './user';
import { mergeUpdate, nextUpdatedAt } from './user-update';

const current: User = {
  id: 'u-1',
  email: 'ada@example.com',
  name: 'Ada',
  status: 'active',
  country: 'DE',
  region: 'europe',
  address_line1: '1 Hauptstraße',
  city: 'Berlin',
  postal_code: '10115',
  created_at: '2026-11-25T10:00:00.000Z',
  updated_at: '2026-11-25T10:00:00.000Z',
};
const now = new Date('2026-11-25T11:00:00.000Z');

describe('mergeUpdate', () => {
  it('replaces the given fields, keeps the others, moves updated_at, never id or created_at', () => {
    expect(mergeUpdate(current, { name: 'Ada L.', status: 'suspended' }, now)).toEqual({
      changed: true,
      user: { ...current, name: 'Ada L.', status: 'suspended', updated_at: '2026-11-25T11:00:00.000Z' },
    });
  });

  it('clears address fields with null', () => {
    const merged = mergeUpdate(current, { address_line1: null, city: null, postal_code: null }, now);
    expect(merged.user).toMatchObject({ address_line1: null, city: null, postal_code: null, created_at: current.created_at });
  });

  it('writes nothing when no value changes', () => {
    expect(mergeUpdate(current, { name: 'Ada', city: 'Berlin' }, now)).toEqual({ changed: false, user: current });
  });

  it('refuses to produce a row the contract would not accept', () => {
    expect(() => mergeUpdate(current, { country: 'germany' }, now)).toThrow();
  });
});

describe('nextUpdatedAt', () => {
  it('is now when the clock moved on', () => {
    expect(nextUpdatedAt('2026-11-25T10:00:00.000Z', now)).toBe('2026-11-25T11:00:00.000Z');
  });

  it('always moves forward, even when the clock did not (same millisecond, skew)', () => {
    expect(nextUpdatedAt('2026-11-25T11:00:00.000Z', now)).toBe('2026-11-25T11:00:00.001Z');
    expect(nextUpdatedAt('2026-11-25T12:00:00.000Z', now)).toBe('2026-11-25T12:00:00.001Z');
    expect(nextUpdatedAt('2026-11-25T11:00:00.000456+00:00', now)).toBe('2026-11-25T11:00:00.001Z');
  });
});
