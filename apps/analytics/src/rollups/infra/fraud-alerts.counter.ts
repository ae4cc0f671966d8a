import { Topics, withTopicPrefix, type FraudAlertRaisedEvent } from '@shop/contracts';
import { firstPerKey, type MaterializedView, type SqlExecutor, type ViewRecord } from '@shop/kafka';

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

/** `fraud-alerts` → the number of alerts per rule (deduped by alert id: each alert fires once). */
export function fraudAlertsCounter(topicPrefix: string): MaterializedView<FraudAlertRaisedEvent> {
  return {
    name: FRAUD_ALERTS_VIEW,
    topic: withTopicPrefix(Topics.fraudAlerts, topicPrefix),
    async apply(tx: SqlExecutor, records: readonly ViewRecord<FraudAlertRaisedEvent>[]): Promise<void> {
      const alerts = firstPerKey(
        records.flatMap((r) => (r.value ? [r.value.payload] : [])),
        (a) => a.alertId,
      );
      if (alerts.length === 0) return;
      await tx.$executeRawUnsafe(
        APPLY_SQL,
        alerts.map((a) => a.alertId),
        alerts.map((a) => a.rule),
      );
    },
    async reset(tx: SqlExecutor): Promise<void> {
      await tx.$executeRawUnsafe('TRUNCATE seen_alerts, alert_totals');
    },
  };
}
