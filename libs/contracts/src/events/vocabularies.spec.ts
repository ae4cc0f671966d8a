import { fraudAlertRaisedSchema, rejectionReasonSchema } from './order-events';
import { FRAUD_RULES, REJECTION_CODES, RejectionCodes, orderStatusSchema, verdictStatusSchema } from './vocabularies';

describe('vocabularies', () => {
  it('lists the rejection codes in the order of the spec table, each once', () => {
    expect(REJECTION_CODES).toEqual(Object.values(RejectionCodes));
    expect(new Set(REJECTION_CODES).size).toBe(REJECTION_CODES.length);
    expect(REJECTION_CODES[0]).toBe('unknown-user');
  });

  it('knows the four fraud rules', () => {
    expect(FRAUD_RULES).toEqual(['velocity', 'amount', 'country-mismatch', 'new-account-large-order']);
  });

  it('an order status is placed or a verdict status', () => {
    expect(orderStatusSchema.options).toEqual(['placed', ...verdictStatusSchema.options]);
  });

  it('the event schemas accept only words of the vocabularies', () => {
    expect(rejectionReasonSchema.safeParse({ code: 'total-mismatch', message: 'm' }).success).toBe(true);
    expect(rejectionReasonSchema.safeParse({ code: 'too-expensive', message: 'm' }).success).toBe(false);
    const alert = { alertId: 'a-1', userId: 'u-1', orderId: 'o-1', evidence: {}, raisedAt: '2026-01-01T00:00:00.000Z' };
    expect(fraudAlertRaisedSchema.safeParse({ ...alert, rule: 'velocity' }).success).toBe(true);
    expect(fraudAlertRaisedSchema.safeParse({ ...alert, rule: 'speed' }).success).toBe(false);
  });
});
