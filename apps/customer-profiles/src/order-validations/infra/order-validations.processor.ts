import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type TopicValue } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { USERS_VIEW } from '../../users/infra/users.view';
import { seenEventsOf } from '../domain/order-validations-seen';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const ORDER_VALIDATIONS_VIEW = 'order-validations';
export const ORDER_VALIDATIONS_SEEN_TABLE = 'order_validations_seen';

type OrderValidationsEvent = TopicValue<typeof Topics.orderValidations>;

const INSERT_SEEN = `
  INSERT INTO ${ORDER_VALIDATIONS_SEEN_TABLE} (event_id, event_type, occurred_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
  ON CONFLICT (event_id) DO NOTHING`;

/**
 * The `order-validations` processor: each chunk of one partition in one transaction with its position (the
 * platform's ViewTransport, after the users view caught up). An event delivered again inserts nothing.
 */
@Controller()
export class OrderValidationsProcessor {
  @ViewHandler({
    view: ORDER_VALIDATIONS_VIEW,
    topic: Topics.orderValidations,
    joins: [USERS_VIEW],
    tables: [ORDER_VALIDATIONS_SEEN_TABLE],
  })
  async onOrderValidations(@Payload() chunk: ViewChunk<OrderValidationsEvent>): Promise<void> {
    const seen = seenEventsOf(chunk.firstPerKey());
    if (seen.length === 0) return;
    await chunk.tx.$executeRawUnsafe(
      INSERT_SEEN,
      seen.map((s) => s.eventId),
      seen.map((s) => s.type),
      seen.map((s) => s.occurredAt),
    );
  }
}
