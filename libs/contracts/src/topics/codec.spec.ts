import { DecodeError, decodeRecord, encodeValue } from './codec';
import { Topics } from './topic-catalogue';
import type { OrderPlacedEvent, OrderPlacedV1Event } from '../events/order-events';
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
  version: 2,
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
    channel: 'mobile',
  },
};

/** What order-validation wrote before OrderPlaced v2: such records stay on `orders` for ever. */
const { channel: _channel, ...payloadV1 } = orderPlaced.payload;
const orderPlacedV1: OrderPlacedV1Event = { ...orderPlaced, version: 1, payload: payloadV1 };

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

  it('reads an OrderPlaced v1 record as the latest version (upcast: v2 without a channel)', () => {
    expect(decodeRecord(Topics.orders, 'order-1', JSON.stringify(orderPlacedV1))).toEqual({
      kind: 'value',
      key: 'order-1',
      value: { ...orderPlacedV1, version: 2 },
    });
  });

  it('refuses an unknown version and a channel outside the vocabulary', () => {
    expect(() => decodeRecord(Topics.orders, 'order-1', JSON.stringify({ ...orderPlaced, version: 3 }))).toThrow(
      /version: Invalid discriminator/,
    );
    const badChannel = { ...orderPlaced, payload: { ...orderPlaced.payload, channel: 'fax' } };
    expect(() => decodeRecord(Topics.orders, 'order-1', JSON.stringify(badChannel))).toThrow(/payload.channel/);
  });

  it('reads an OrderValidated v1 verdict as v2 and leaves OrderRejected v1 as it is', () => {
    const validated = {
      id: 'order-1:verdict',
      type: 'OrderValidated',
      version: 1,
      occurredAt: '2026-11-25T10:00:01.000Z',
      source: 'order-validation',
      correlationId: 'order-1',
      causationId: 'order-1:placed',
      payload: {
        ...payloadV1,
        shippingAddress: { line1: '1 St', city: 'London', postalCode: 'N1', country: 'GB' },
        validatedAt: '2026-11-25T10:00:01.000Z',
      },
    };
    expect(decodeRecord(Topics.orderValidations, 'order-1', JSON.stringify(validated))).toMatchObject({
      value: { type: 'OrderValidated', version: 2 },
    });
    const rejected = {
      ...validated,
      type: 'OrderRejected',
      payload: {
        orderId: 'order-1',
        userId: 'u-1',
        reasons: [{ code: 'unknown-user', message: 'm' }],
        placedAt: validated.occurredAt,
        rejectedAt: validated.occurredAt,
      },
    };
    expect(decodeRecord(Topics.orderValidations, 'order-1', JSON.stringify(rejected))).toMatchObject({
      value: { type: 'OrderRejected', version: 1 },
    });
  });
});
