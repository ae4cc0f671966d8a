import { Topics, withTopicPrefix, type ShipmentCreatedEvent } from '@shop/contracts';
import { firstPerKey, type MaterializedView, type SqlExecutor, type ViewRecord } from '@shop/kafka';

export const SHIPMENTS_VIEW = 'shipments';
export const SHIPMENTS_METRIC = 'shipments';

/** Shipments not seen before (one per order id) are counted, in the same statement that records them. */
const APPLY_SQL = `
WITH fresh AS (
  INSERT INTO seen_shipments (order_id, shipment_id)
  SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id
)
INSERT INTO shipment_totals AS t (metric, count)
SELECT $3::text, count(*) FROM fresh HAVING count(*) > 0
ON CONFLICT (metric) DO UPDATE SET count = t.count + EXCLUDED.count`;

/** `shipments` → the number of shipments (deduped by order id: one shipment per order). */
export function shipmentsCounter(topicPrefix: string): MaterializedView<ShipmentCreatedEvent> {
  return {
    name: SHIPMENTS_VIEW,
    topic: withTopicPrefix(Topics.shipments, topicPrefix),
    async apply(tx: SqlExecutor, records: readonly ViewRecord<ShipmentCreatedEvent>[]): Promise<void> {
      const shipments = firstPerKey(
        records.flatMap((r) => (r.value ? [r.value.payload] : [])),
        (s) => s.orderId,
      );
      if (shipments.length === 0) return;
      await tx.$executeRawUnsafe(
        APPLY_SQL,
        shipments.map((s) => s.orderId),
        shipments.map((s) => s.shipmentId),
        SHIPMENTS_METRIC,
      );
    },
    async reset(tx: SqlExecutor): Promise<void> {
      await tx.$executeRawUnsafe('TRUNCATE seen_shipments, shipment_totals');
    },
  };
}
