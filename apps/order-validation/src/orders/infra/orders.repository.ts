import { Injectable } from '@nestjs/common';
import { PgDatabase } from '@shop/db';
import { z } from 'zod';
import { addressSchema, orderPlacedEventSchema, rejectionReasonSchema, USERS_AS_OF_HEADER, type OrderPlacedEvent } from '@shop/contracts';
import { PrismaService } from '../../database/prisma.service';
import { orderLink, type OrderStatusView } from '../domain/order-status';

/** A row of the front door's ledger (placed_orders). */
export interface PlacedOrderEntry {
  readonly orderId: string;
  readonly idempotencyKey: string | null;
  readonly requestHash: string;
  readonly event: OrderPlacedEvent;
}

/** An order in the outbox: what the relay produces, with the Kafka headers of the request that placed it. */
export interface OutboxEntry {
  readonly orderId: string;
  readonly event: OrderPlacedEvent;
  readonly headers: Readonly<Record<string, string>>;
}

interface OutboxRow {
  order_id: string;
  event: unknown;
  headers: unknown;
}

const headersSchema = z.record(z.string(), z.string());

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
 * as produced) and the processor's verdicts (orders, read-only here). The front door's two statements per
 * batch run on the platform's node-postgres pool (`pg`): no Prisma query engine on the request path.
 */
@Injectable()
export class OrdersRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly pg: PgDatabase,
  ) {}

  /** The order recorded under an Idempotency-Key, with the users-as-of header it was first produced with. */
  async findByIdempotencyKey(key: string): Promise<(PlacedOrderEntry & { readonly usersAsOf: string | undefined }) | undefined> {
    const row = await this.prisma.placedOrder.findUnique({ where: { idempotencyKey: key } });
    if (!row) return undefined;
    const headers = row.headers as Readonly<Record<string, unknown>> | null;
    const usersAsOf = headers?.[USERS_AS_OF_HEADER];
    return {
      orderId: row.orderId,
      idempotencyKey: row.idempotencyKey,
      requestHash: row.requestHash,
      event: orderPlacedEventSchema.parse(row.event),
      usersAsOf: typeof usersAsOf === 'string' ? usersAsOf : undefined,
    };
  }

  /**
   * Records placed orders with their OrderPlaced (the outbox: unpublished until markPublished) in one
   * statement. Returns the order ids inserted; an entry whose order id or idempotency key is already taken
   * (by an earlier row or an earlier entry of the same call) is skipped.
   */
  async insertPlaced(
    entries: readonly (PlacedOrderEntry & { readonly headers: Readonly<Record<string, string>> })[],
  ): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const rows = await this.pg.$queryRawUnsafe<{ order_id: string }[]>(
      `INSERT INTO placed_orders (order_id, idempotency_key, request_hash, event, headers)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[])
       ON CONFLICT DO NOTHING RETURNING order_id`,
      entries.map((e) => e.orderId),
      entries.map((e) => e.idempotencyKey),
      entries.map((e) => e.requestHash),
      entries.map((e) => JSON.stringify(e.event)),
      entries.map((e) => JSON.stringify(e.headers)),
    );
    return new Set(rows.map((r) => r.order_id));
  }

  /**
   * The broker acknowledged these orders' OrderPlaced: they leave the outbox. One statement, committed without
   * waiting for the WAL flush (set_config(…, true) lasts to the end of the statement's own transaction, its
   * commit included): if a database crash loses this update, the relay only publishes them once more (same ids).
   */
  async markPublished(orderIds: readonly string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await this.pg.$executeRawUnsafe(
      `UPDATE placed_orders SET published_at = now()
         FROM (SELECT set_config('synchronous_commit', 'off', true)) AS commit_mode
        WHERE order_id = ANY($1::text[]) AND published_at IS NULL`,
      [...orderIds],
    );
  }

  /**
   * One relay round in one transaction: claims up to `limit` orders still unpublished `graceMs` after they
   * were recorded (FOR UPDATE SKIP LOCKED: instances never claim the same row), hands them to `publish`,
   * and marks them published when it resolves. A failing publish leaves them for the next round.
   */
  async relayUnpublished(graceMs: number, limit: number, publish: (entries: readonly OutboxEntry[]) => Promise<void>): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          `SELECT order_id, event, headers FROM placed_orders
            WHERE published_at IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)
            ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          graceMs,
          limit,
        );
        if (rows.length === 0) return 0;
        await publish(
          rows.map((r) => ({ orderId: r.order_id, event: orderPlacedEventSchema.parse(r.event), headers: headersSchema.parse(r.headers) })),
        );
        await tx.$executeRawUnsafe(
          `UPDATE placed_orders SET published_at = now() WHERE order_id = ANY($1::text[])`,
          rows.map((r) => r.order_id),
        );
        return rows.length;
      },
      { timeout: 30_000, maxWait: 5_000 },
    );
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
