import { shipmentCreatedEventSchema, type OrderRejectedEvent, type OrderValidatedEvent } from '@shop/contracts';
import {
  isShippable,
  recipientsNeeded,
  shipmentCreatedEvent,
  shipmentEventIdFor,
  shipmentFromVerdict,
  shipmentIdFor,
  shipmentsFromVerdicts,
  type Recipient,
} from './shipment-rules';

const validated = (orderId: string, userId = 'u-1', overrides: Partial<OrderValidatedEvent['payload']> = {}): OrderValidatedEvent => ({
  id: `${orderId}:verdict`,
  type: 'OrderValidated',
  version: 2,
  occurredAt: '2026-11-25T10:00:01.000Z',
  source: 'order-validation',
  correlationId: orderId,
  causationId: `${orderId}:placed`,
  payload: {
    orderId,
    userId,
    totalCents: 2000,
    currency: 'EUR',
    lines: [{ productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1000 }],
    shippingAddress: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
    placedAt: '2026-11-25T10:00:00.000Z',
    validatedAt: '2026-11-25T10:00:01.123Z',
    ...overrides,
  },
});

const rejected = (orderId: string, userId = 'u-1'): OrderRejectedEvent => ({
  id: `${orderId}:verdict`,
  type: 'OrderRejected',
  version: 1,
  occurredAt: '2026-11-25T10:00:01.000Z',
  source: 'order-validation',
  correlationId: orderId,
  causationId: `${orderId}:placed`,
  payload: {
    orderId,
    userId,
    reasons: [{ code: 'unknown-user', message: 'no such user' }],
    placedAt: '2026-11-25T10:00:00.000Z',
    rejectedAt: '2026-11-25T10:00:01.000Z',
  },
});

const ada: Recipient = { name: 'Ada Lovelace', email: 'ada@example.com' };

describe('shipmentIdFor', () => {
  it('is shp-<orderId>, a valid contracts id', () => {
    expect(shipmentIdFor('o-1')).toBe('shp-o-1');
    expect(shipmentIdFor('a'.repeat(60))).toBe(`shp-${'a'.repeat(60)}`);
  });

  it('hashes order ids too long for the prefix, deterministically and within 64 characters', () => {
    const long = 'b'.repeat(61);
    const id = shipmentIdFor(long);
    expect(id).toMatch(/^shp-[0-9a-f]{60}$/);
    expect(shipmentIdFor(long)).toBe(id);
    expect(shipmentIdFor('c'.repeat(64))).not.toBe(id);
  });
});

describe('shipmentEventIdFor', () => {
  it('is <orderId>:shipment', () => {
    expect(shipmentEventIdFor('o-1')).toBe('o-1:shipment');
  });
});

describe('shipmentFromVerdict', () => {
  it('ships a validated order to the verdict address with the recipient and the validation time', () => {
    expect(shipmentFromVerdict(validated('o-1'), ada)).toEqual({
      shipmentId: 'shp-o-1',
      orderId: 'o-1',
      userId: 'u-1',
      address: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
      recipient: { name: 'Ada Lovelace', email: 'ada@example.com' },
      createdAt: '2026-11-25T10:00:01.123Z',
      verdictId: 'o-1:verdict',
    });
  });

  it('ships to an unknown user with no recipient', () => {
    expect(shipmentFromVerdict(validated('o-2'), undefined)).toMatchObject({ orderId: 'o-2', recipient: null });
  });

  it('keeps the verdict timestamp verbatim (offsets, microseconds)', () => {
    const shipment = shipmentFromVerdict(validated('o-3', 'u-1', { validatedAt: '2026-11-25T12:00:01.123456+02:00' }), ada);
    expect(shipment?.createdAt).toBe('2026-11-25T12:00:01.123456+02:00');
  });

  it('does not ship a rejected order', () => {
    expect(shipmentFromVerdict(rejected('o-4'), ada)).toBeUndefined();
    expect(isShippable(rejected('o-4'))).toBe(false);
    expect(isShippable(validated('o-4'))).toBe(true);
  });
});

describe('recipientsNeeded', () => {
  it('lists each validated order once with its user (a user of two orders twice: each is read as of its order)', () => {
    expect(recipientsNeeded([validated('o-1', 'u-1'), rejected('o-2', 'u-2'), validated('o-3', 'u-1'), validated('o-1', 'u-1')])).toEqual([
      { orderId: 'o-1', userId: 'u-1' },
      { orderId: 'o-3', userId: 'u-1' },
    ]);
    expect(recipientsNeeded([])).toEqual([]);
  });
});

describe('shipmentsFromVerdicts', () => {
  const recipients = new Map([['o-1', ada]]);

  it('creates one shipment per validated order, in log order, nothing for rejected ones; recipients by order', () => {
    const shipments = shipmentsFromVerdicts([validated('o-2', 'u-2'), rejected('o-3'), validated('o-1', 'u-1')], recipients);
    expect(shipments.map((s) => [s.orderId, s.recipient?.name ?? null])).toEqual([
      ['o-2', null],
      ['o-1', 'Ada Lovelace'],
    ]);
  });

  it('keeps the first verdict of an order repeated within the chunk', () => {
    const repeated = validated('o-1', 'u-1', {
      shippingAddress: { line1: '2 Other St', city: 'Paris', postalCode: '75001', country: 'FR' },
    });
    const shipments = shipmentsFromVerdicts([validated('o-1'), repeated, validated('o-1')], recipients);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]?.address.city).toBe('Berlin');
  });

  it('yields nothing for an empty chunk or a chunk of rejections', () => {
    expect(shipmentsFromVerdicts([], recipients)).toEqual([]);
    expect(shipmentsFromVerdicts([rejected('o-1'), rejected('o-1')], recipients)).toEqual([]);
  });
});

describe('shipmentCreatedEvent', () => {
  it('derives every field from the verdict: deterministic id, causation, correlation and time', () => {
    const shipment = shipmentFromVerdict(validated('o-1'), ada);
    if (!shipment) throw new Error('expected a shipment');
    const event = shipmentCreatedEvent(shipment);
    expect(event).toEqual({
      id: 'o-1:shipment',
      type: 'ShipmentCreated',
      version: 1,
      occurredAt: '2026-11-25T10:00:01.123Z',
      source: 'shipping',
      correlationId: 'o-1',
      causationId: 'o-1:verdict',
      payload: {
        shipmentId: 'shp-o-1',
        orderId: 'o-1',
        userId: 'u-1',
        address: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' },
        createdAt: '2026-11-25T10:00:01.123Z',
      },
    });
    expect(shipmentCreatedEvent(shipment)).toEqual(event);
  });

  it('passes the contract schema, also for the longest order ids', () => {
    for (const orderId of ['o-1', 'x'.repeat(64)]) {
      const shipment = shipmentFromVerdict(validated(orderId), undefined);
      if (!shipment) throw new Error('expected a shipment');
      expect(shipmentCreatedEventSchema.safeParse(shipmentCreatedEvent(shipment)).success).toBe(true);
    }
  });
});
