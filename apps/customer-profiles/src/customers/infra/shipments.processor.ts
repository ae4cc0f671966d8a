import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type ShipmentCreatedEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { customerShipmentsOf } from '../domain/customer-facts';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const CUSTOMER_SHIPMENTS_VIEW = 'customer-shipments';
export const CUSTOMER_SHIPMENTS_TABLE = 'customer_shipments';

const INSERT_SHIPMENTS = `
  INSERT INTO ${CUSTOMER_SHIPMENTS_TABLE} (order_id, shipment_id, user_id, created_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
  ON CONFLICT (order_id) DO NOTHING`;

/** The shipments of every user, from `shipments` (a rebuild of shipping re-produces them: same order, nothing inserted). */
@Controller()
export class ShipmentsProcessor {
  @ViewHandler({ view: CUSTOMER_SHIPMENTS_VIEW, topic: Topics.shipments, tables: [CUSTOMER_SHIPMENTS_TABLE] })
  async onShipments(@Payload() chunk: ViewChunk<ShipmentCreatedEvent>): Promise<void> {
    const shipments = customerShipmentsOf(chunk.values());
    if (shipments.length === 0) return;
    await chunk.tx.$executeRawUnsafe(
      INSERT_SHIPMENTS,
      shipments.map((s) => s.orderId),
      shipments.map((s) => s.shipmentId),
      shipments.map((s) => s.userId),
      shipments.map((s) => s.createdAt),
    );
  }
}
