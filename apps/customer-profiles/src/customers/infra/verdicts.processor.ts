import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type OrderVerdictEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { customerOrdersOf } from '../domain/customer-facts';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const CUSTOMER_ORDERS_VIEW = 'customer-orders';
export const CUSTOMER_ORDERS_TABLE = 'customer_orders';

const INSERT_ORDERS = `
  INSERT INTO ${CUSTOMER_ORDERS_TABLE} (order_id, user_id, total_cents, currency, validated_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[])
  ON CONFLICT (order_id) DO NOTHING`;

/**
 * The validated orders of every user, from `order-validations`. No join: the profile meets the users view when it
 * is read, so a chunk need not wait for it. A redelivered verdict inserts nothing (the first verdict of an order wins).
 */
@Controller()
export class VerdictsProcessor {
  @ViewHandler({ view: CUSTOMER_ORDERS_VIEW, topic: Topics.orderValidations, tables: [CUSTOMER_ORDERS_TABLE] })
  async onVerdicts(@Payload() chunk: ViewChunk<OrderVerdictEvent>): Promise<void> {
    const orders = customerOrdersOf(chunk.values());
    if (orders.length === 0) return;
    await chunk.tx.$executeRawUnsafe(
      INSERT_ORDERS,
      orders.map((o) => o.orderId),
      orders.map((o) => o.userId),
      orders.map((o) => o.totalCents),
      orders.map((o) => o.currency),
      orders.map((o) => o.validatedAt),
    );
  }
}
