import type { OrderRejectedEvent, OrderValidatedEvent, OrderVerdictEvent } from '@shop/contracts';
import { countVerdicts } from './verdicts';

const validated = (orderId: string, userId: string, placedAt = '2026-11-25T10:17:42Z'): OrderValidatedEvent => ({
  id: `${orderId}:verdict`,
  type: 'OrderValidated',
  version: 2,
  occurredAt: '2026-11-25T10:17:43Z',
  source: 'order-validation',
  correlationId: orderId,
  causationId: `${orderId}:placed`,
  payload: {
    orderId,
    userId,
    totalCents: 2500,
    currency: 'EUR',
    lines: [{ productId: 'p-1', category: 'books', quantity: 2, unitPriceCents: 1250 }],
    shippingAddress: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    placedAt,
    validatedAt: '2026-11-25T10:17:43Z',
  },
});

const rejected = (orderId: string, userId: string): OrderRejectedEvent => ({
  id: `${orderId}:verdict`,
  type: 'OrderRejected',
  version: 1,
  occurredAt: '2026-11-25T10:17:43Z',
  source: 'order-validation',
  correlationId: orderId,
  causationId: `${orderId}:placed`,
  payload: {
    orderId,
    userId,
    reasons: [{ code: 'unknown-user', message: 'no such user' }],
    placedAt: '2026-11-25T10:17:42Z',
    rejectedAt: '2026-11-25T10:17:43Z',
  },
});

const byUser = new Map([['u-1', { region: 'europe' }]]);
const users = (event: OrderVerdictEvent) => byUser.get(event.payload.userId);

describe('countVerdicts', () => {
  it("counts a validated order with its user's region and its roll-up contributions", () => {
    const [verdict] = countVerdicts([validated('o-1', 'u-1')], users);
    expect(verdict).toMatchObject({
      orderId: 'o-1',
      eventId: 'o-1:verdict',
      outcome: 'validated',
      userId: 'u-1',
      region: 'europe',
      totalCents: 2500,
    });
    expect(verdict?.contributions).toHaveLength(12);
    expect(verdict?.contributions[0]).toMatchObject({
      windowSize: '1m',
      dimension: 'region',
      dimensionValue: 'europe',
      count: 1n,
      revenue: 2500n,
    });
  });

  it("counts a validated order of an unknown user under region 'unknown'", () => {
    const [verdict] = countVerdicts([validated('o-2', 'u-404')], users);
    expect(verdict?.region).toBe('unknown');
    expect(verdict?.contributions.filter((c) => c.dimension === 'region').map((c) => c.dimensionValue)).toEqual([
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('counts a rejected order without revenue or roll-ups', () => {
    expect(countVerdicts([rejected('o-3', 'u-1')], users)).toEqual([
      {
        orderId: 'o-3',
        eventId: 'o-3:verdict',
        outcome: 'rejected',
        userId: 'u-1',
        region: 'europe',
        placedAt: '2026-11-25T10:17:42Z',
        totalCents: 0,
        contributions: [],
      },
    ]);
  });
});
