import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type FraudAlertRaisedEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { customerFraudAlertsOf } from '../domain/customer-facts';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const CUSTOMER_FRAUD_ALERTS_VIEW = 'customer-fraud-alerts';
export const CUSTOMER_FRAUD_ALERTS_TABLE = 'customer_fraud_alerts';

const INSERT_ALERTS = `
  INSERT INTO ${CUSTOMER_FRAUD_ALERTS_TABLE} (alert_id, order_id, user_id, rule, raised_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
  ON CONFLICT (alert_id) DO UPDATE
    SET order_id = EXCLUDED.order_id, user_id = EXCLUDED.user_id, rule = EXCLUDED.rule, raised_at = EXCLUDED.raised_at
    WHERE (EXCLUDED.raised_at, EXCLUDED.order_id COLLATE "C") < (${CUSTOMER_FRAUD_ALERTS_TABLE}.raised_at, ${CUSTOMER_FRAUD_ALERTS_TABLE}.order_id COLLATE "C")`;

/**
 * The fraud alerts of every user, from `fraud-alerts`, once per alert id. Another copy of a known alert replaces it
 * only when preferred (preferredAlert, in SQL: the least (raised_at, order_id), ids in byte order as in JavaScript), so the row is the same whatever
 * order the partitions are applied in, on a rebuild too.
 */
@Controller()
export class FraudAlertsProcessor {
  @ViewHandler({ view: CUSTOMER_FRAUD_ALERTS_VIEW, topic: Topics.fraudAlerts, tables: [CUSTOMER_FRAUD_ALERTS_TABLE] })
  async onFraudAlerts(@Payload() chunk: ViewChunk<FraudAlertRaisedEvent>): Promise<void> {
    const alerts = customerFraudAlertsOf(chunk.values());
    if (alerts.length === 0) return;
    await chunk.tx.$executeRawUnsafe(
      INSERT_ALERTS,
      alerts.map((a) => a.alertId),
      alerts.map((a) => a.orderId),
      alerts.map((a) => a.userId),
      alerts.map((a) => a.rule),
      alerts.map((a) => a.raisedAt),
    );
  }
}
