import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Shipment as ShipmentRow } from '../../generated/prisma/client';
import type { PageQuery } from '@shop/nest-platform';
import type { ShipmentPage } from '../domain/shipment-page';
import type { Shipment } from '../domain/shipment-rules';

function toShipment(row: ShipmentRow): Shipment {
  return {
    shipmentId: row.shipmentId,
    orderId: row.orderId,
    userId: row.userId,
    address: { line1: row.addressLine1, city: row.city, postalCode: row.postalCode, country: row.country },
    recipient: row.recipientName !== null && row.recipientEmail !== null ? { name: row.recipientName, email: row.recipientEmail } : null,
    createdAt: row.createdAt.toISOString(),
    verdictId: row.verdictId,
  };
}

/** Reads the shipments (written only by the verdicts processor) through the generated Prisma client. */
@Injectable()
export class ShipmentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One page ordered by order id, and the total, from one snapshot (the view keeps changing underneath). */
  async page(query: PageQuery): Promise<ShipmentPage> {
    const [total, rows] = await this.prisma.$transaction(
      [this.prisma.shipment.count(), this.prisma.shipment.findMany({ orderBy: { orderId: 'asc' }, skip: query.offset, take: query.limit })],
      { isolationLevel: 'RepeatableRead' },
    );
    return { total, limit: query.limit, offset: query.offset, items: rows.map(toShipment) };
  }

  async findByOrderId(orderId: string): Promise<Shipment | undefined> {
    const row = await this.prisma.shipment.findUnique({ where: { orderId } });
    return row ? toShipment(row) : undefined;
  }
}
