import { DecodeError, decodeRecord, encodeValue } from './codec';
import { Topics } from './topic-catalogue';
import type { OrderPlacedEvent } from '../events/order-events';
import type { UserRecord } from '../events/user-record';

const user: UserRecord = {
  id: 'u-1',
  email: 'ada@example.com',
  name: 'Ada',
  status: 'active',
  country: 'GB',
  region: 'europe',
  address_line1: '1 Analytical St',
  city: 'London',
  postal_code: 'N1 9GU',
  created_at: '2026-11-25T10:00:00.000000Z',
  updated_at: '2026-11-25T10:00:00.000000Z',
};

const orderPlaced: OrderPlacedEvent = {
  id: 'order-1:placed',
  type: 'OrderPlaced',
  version: 1,
  occurredAt: '2026-11-25T10:00:00.000Z',
  source: 'order-validation',
  correlationId: 'order-1',
  causationId: null,
  payload: {
    orderId: 'order-1',
    userId: 'u-1',
    lines: [{ productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1250 }],
    currency: 'EUR',
    totalCents: 2500,
    shippingAddress: null,
    placedAt: '2026-11-25T10:00:00.000Z',
  },
};

describe('decodeRecord', () => {
  it('decodes a valid user record with its key', () => {
    expect(decodeRecord(Topics.users, Buffer.from('u-1'), Buffer.from(JSON.stringify(user)))).toEqual({
      kind: 'value',
      key: 'u-1',
      value: user,
    });
  });

  it('reads a null value on a changelog topic as a tombstone', () => {
    expect(decodeRecord(Topics.users, 'u-1', null)).toEqual({ kind: 'tombstone', key: 'u-1' });
  });

  it('rejects a null value on an event topic', () => {
    expect(() => decodeRecord(Topics.orders, 'order-1', null)).toThrow(/only changelog topics carry tombstones/);
  });

  it('rejects bytes that are not JSON, saying so', () => {
    const attempt = () => decodeRecord(Topics.users, 'u-1', Buffer.from('{not json'));
    expect(attempt).toThrow(DecodeError);
    expect(attempt).toThrow(/is not JSON/);
  });

  it('lists every schema issue with its path', () => {
    const bad = { ...user, email: 'nope', country: 'germany' };
    expect(() => decodeRecord(Topics.users, 'u-1', JSON.stringify(bad))).toThrow(/email: .*; country: .*alpha-2/);
  });

  it('rejects a record without a key', () => {
    expect(() => decodeRecord(Topics.users, null, JSON.stringify(user))).toThrow(/has no key/);
  });

  it('round-trips an envelope through encodeValue', () => {
    const bytes = encodeValue(Topics.orders, orderPlaced);
    expect(decodeRecord(Topics.orders, 'order-1', bytes)).toEqual({ kind: 'value', key: 'order-1', value: orderPlaced });
  });

  it('refuses to encode a value that breaks the schema', () => {
    const broken = { ...orderPlaced, payload: { ...orderPlaced.payload, lines: [] } };
    expect(() => encodeValue(Topics.orders, broken)).toThrow(/refusing to produce to orders: payload.lines/);
  });
});
