import type { FraudAlertRaisedEvent, OrderValidatedEvent, OrderVerdictEvent } from '@shop/contracts';
import type { FraudAlert, ValidatedOrderFacts } from './fraud-rules';

/** `source` of every envelope this service produces. */
export const ALERT_SOURCE = 'fraud-detection';

/** What the rules need of a validated order. */
export function toFacts(event: OrderValidatedEvent): ValidatedOrderFacts {
  const { payload } = event;
  return {
    orderId: payload.orderId,
    userId: payload.userId,
    totalCents: payload.totalCents,
    shipCountry: payload.shippingAddress.country,
    placedAt: payload.placedAt,
    verdictEventId: event.id,
  };
}

/** The validated orders among verdicts (rejections are not fraud candidates), in the given order. */
export function validatedOrders(verdicts: readonly OrderVerdictEvent[]): ValidatedOrderFacts[] {
  return verdicts.flatMap((v) => (v.type === 'OrderValidated' ? [toFacts(v)] : []));
}

export function alertEnvelope(alert: FraudAlert): FraudAlertRaisedEvent {
  return {
    id: alert.eventId,
    type: 'FraudAlertRaised',
    version: 1,
    occurredAt: alert.raisedAt,
    source: ALERT_SOURCE,
    correlationId: alert.orderId,
    causationId: alert.causationId,
    payload: {
      alertId: alert.alertId,
      userId: alert.userId,
      orderId: alert.orderId,
      rule: alert.rule,
      evidence: alert.evidence as FraudAlertRaisedEvent['payload']['evidence'],
      raisedAt: alert.raisedAt,
    },
  };
}
