import { fraudAlertRaisedEventSchema, type OrderVerdictEvent } from '@shop/contracts';
import { evaluateOrders } from './fraud-rules';
import { alertEnvelope, validatedOrders } from './fraud-events';

const placedAt = '2026-11-25T10:00:00.000000Z';

function validated(orderId: string, totalCents = 1_000): OrderVerdictEvent {
  return {
    id: `${orderId}:verdict`,
    type: 'OrderValidated',
    version: 2,
    occurredAt: placedAt,
    source: 'order-validation',
    correlationId: orderId,
    causationId: `${orderId}:placed`,
    payload: {
      orderId,
      userId: 'u-1',
      totalCents,
      currency: 'EUR',
      lines: [{ productId: 'p-1', category: 'books', quantity: 1, unitPriceCents: totalCents }],
      shippingAddress: { line1: '1 Main Street', city: 'Paris', postalCode: '75001', country: 'FR' },
      placedAt,
      validatedAt: placedAt,
    },
  };
}

describe('validatedOrders', () => {
  it('keeps validated orders in the given order and skips rejections', () => {
    const rejected: OrderVerdictEvent = {
      id: 'o-3:verdict',
      type: 'OrderRejected',
      version: 1,
      occurredAt: placedAt,
      source: 'order-validation',
      correlationId: 'o-3',
      causationId: 'o-3:placed',
      payload: { orderId: 'o-3', userId: 'u-1', reasons: [{ code: 'unknown-user', message: 'x' }], placedAt, rejectedAt: placedAt },
    };
    const orders = validatedOrders([validated('o-2'), rejected, validated('o-1')]);
    expect(orders).toEqual([
      { orderId: 'o-2', userId: 'u-1', totalCents: 1_000, shipCountry: 'FR', placedAt, verdictEventId: 'o-2:verdict' },
      { orderId: 'o-1', userId: 'u-1', totalCents: 1_000, shipCountry: 'FR', placedAt, verdictEventId: 'o-1:verdict' },
    ]);
  });
});

describe('alertEnvelope', () => {
  it('builds a FraudAlertRaised the contracts accept: envelope id = readable id, time = placedAt', () => {
    const orders = validatedOrders([validated('o-1', 600_000)]);
    const alerts = evaluateOrders(orders, () => ({ country: 'DE', createdAt: '2020-01-01T00:00:00Z' }), new Map());
    expect(alerts.map((a) => a.rule)).toEqual(['amount', 'country-mismatch']);
    for (const alert of alerts) {
      expect(fraudAlertRaisedEventSchema.safeParse(alertEnvelope(alert)).success).toBe(true);
    }
    const amount = alerts.find((a) => a.rule === 'amount');
    expect(amount && alertEnvelope(amount)).toEqual({
      id: 'u-1:amount:2026-11-25T10:00:00.000Z',
      type: 'FraudAlertRaised',
      version: 1,
      occurredAt: '2026-11-25T10:00:00.000Z',
      source: 'fraud-detection',
      correlationId: 'o-1',
      causationId: 'o-1:verdict',
      payload: {
        alertId: 'u-1-amount-2026-11-25T10-00-00-000Z',
        userId: 'u-1',
        orderId: 'o-1',
        rule: 'amount',
        evidence: expect.objectContaining({ totalCents: 600_000, windowSize: '1h' }),
        raisedAt: '2026-11-25T10:00:00.000Z',
      },
    });
  });
});
