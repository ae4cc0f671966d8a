import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type ShipmentCreatedEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';

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

/** `shipments` → the number of shipments (deduped by order id, the topic's key: one shipment per order). */
@Controller()
export class ShipmentsCounter {
  @ViewHandler({ view: SHIPMENTS_VIEW, topic: Topics.shipments, tables: ['seen_shipments', 'shipment_totals'] })
  async onShipments(@Payload() chunk: ViewChunk<ShipmentCreatedEvent>): Promise<void> {
    const shipments = chunk.firstPerKey().map((e) => e.payload);
    if (shipments.length === 0) return;
    await chunk.tx.$executeRawUnsafe(
      APPLY_SQL,
      shipments.map((s) => s.orderId),
      shipments.map((s) => s.shipmentId),
      SHIPMENTS_METRIC,
    );
  }
}
