import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type FraudAlertRaisedEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { firstPerKey } from '@shop/kafka';

export const FRAUD_ALERTS_VIEW = 'fraud-alerts';

/** Alerts not seen before (by alert id) are counted per rule, in the same statement that records them. */
const APPLY_SQL = `
WITH fresh AS (
  INSERT INTO seen_alerts (alert_id, rule)
  SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (alert_id) DO NOTHING
  RETURNING rule
)
INSERT INTO alert_totals AS t (rule, count)
SELECT rule, count(*) FROM fresh GROUP BY rule
ON CONFLICT (rule) DO UPDATE SET count = t.count + EXCLUDED.count`;

/**
 * `fraud-alerts` → the number of alerts per rule, deduped by alert id (each alert fires once). Not by the
 * topic's key: one order can raise several alerts.
 */
@Controller()
export class FraudAlertsCounter {
  @ViewHandler({ view: FRAUD_ALERTS_VIEW, topic: Topics.fraudAlerts, tables: ['seen_alerts', 'alert_totals'] })
  async onAlerts(@Payload() chunk: ViewChunk<FraudAlertRaisedEvent>): Promise<void> {
    const alerts = firstPerKey(
      chunk.values().map((e) => e.payload),
      (a) => a.alertId,
    );
    if (alerts.length === 0) return;
    await chunk.tx.$executeRawUnsafe(
      APPLY_SQL,
      alerts.map((a) => a.alertId),
      alerts.map((a) => a.rule),
    );
  }
}
