import { Injectable } from '@nestjs/common';
import { addressSchema, orderPlacedEventSchema, rejectionReasonSchema, type OrderPlacedEvent } from '@shop/contracts';
import { PrismaService } from '../../database/prisma.service';
import { orderLink, type OrderStatusView } from '../domain/order-status';

/** A row of the front door's ledger (placed_orders). */
export interface PlacedOrderEntry {
  readonly orderId: string;
  readonly idempotencyKey: string | null;
  readonly requestHash: string;
  readonly event: OrderPlacedEvent;
}

interface StatusRow {
  order_id: string;
  placed_event: unknown;
  user_id: string | null;
  status: string | null;
  reasons: unknown;
  shipping_address: unknown;
  placed_at: Date | null;
  verdict_at: Date | null;
}

function toView(row: StatusRow): OrderStatusView {
  const placed = row.placed_event ? orderPlacedEventSchema.parse(row.placed_event) : undefined;
  const status = row.status === 'validated' || row.status === 'rejected' ? row.status : 'placed';
  return {
    orderId: row.order_id,
    userId: row.user_id ?? placed?.payload.userId ?? '',
    status,
    reasons: status === 'rejected' ? rejectionReasonSchema.array().parse(row.reasons) : [],
    placedAt: (row.placed_at ?? (placed ? new Date(placed.payload.placedAt) : new Date(0))).toISOString(),
    verdictAt: row.verdict_at?.toISOString() ?? null,
    shippingAddress: row.shipping_address ? addressSchema.parse(row.shipping_address) : null,
    links: { self: orderLink(row.order_id) },
  };
}

/**
 * The service's own order tables: the front door's ledger (placed_orders: idempotency keys, the OrderPlaced
 * as produced) and the processor's verdicts (orders, read-only here).
 */
@Injectable()
export class OrdersRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findByIdempotencyKey(key: string): Promise<PlacedOrderEntry | undefined> {
    const row = await this.prisma.placedOrder.findUnique({ where: { idempotencyKey: key } });
    if (!row) return undefined;
    return {
      orderId: row.orderId,
      idempotencyKey: row.idempotencyKey,
      requestHash: row.requestHash,
      event: orderPlacedEventSchema.parse(row.event),
    };
  }

  /** Records a placed order; false when its order id or its idempotency key is already there. */
  async insertPlaced(entry: PlacedOrderEntry): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ order_id: string }[]>(
      `INSERT INTO placed_orders (order_id, idempotency_key, request_hash, event) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT DO NOTHING RETURNING order_id`,
      entry.orderId,
      entry.idempotencyKey,
      entry.requestHash,
      JSON.stringify(entry.event),
    );
    return rows.length === 1;
  }

  /** The orders of `ids` as GET /orders/:id shows them (verdict if any, else placed); unknown ids are absent. */
  async findStatuses(ids: readonly string[]): Promise<Map<string, OrderStatusView>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.$queryRawUnsafe<StatusRow[]>(
      `SELECT ids.id AS order_id, p.event AS placed_event, o.user_id, o.status, o.reasons,
              o.shipping_address, o.placed_at, o.verdict_at
         FROM unnest($1::text[]) AS ids(id)
         LEFT JOIN orders o ON o.order_id = ids.id
         LEFT JOIN placed_orders p ON p.order_id = ids.id
        WHERE o.order_id IS NOT NULL OR p.order_id IS NOT NULL`,
      [...ids],
    );
    return new Map(rows.map((r) => [r.order_id, toView(r)]));
  }

  async findStatus(id: string): Promise<OrderStatusView | undefined> {
    return (await this.findStatuses([id])).get(id);
  }
}
