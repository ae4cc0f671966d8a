import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type TopicValue } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { USERS_VIEW } from '../../users/infra/users.view';
import { seenEventsOf } from '../domain/fraud-alerts-seen';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const FRAUD_ALERTS_VIEW = 'fraud-alerts';
export const FRAUD_ALERTS_SEEN_TABLE = 'fraud_alerts_seen';

type FraudAlertsEvent = TopicValue<typeof Topics.fraudAlerts>;

const INSERT_SEEN = `
  INSERT INTO ${FRAUD_ALERTS_SEEN_TABLE} (event_id, event_type, occurred_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
  ON CONFLICT (event_id) DO NOTHING`;

/**
 * The `fraud-alerts` processor: each chunk of one partition in one transaction with its position (the
 * platform's ViewTransport, after the users view caught up). An event delivered again inserts nothing.
 */
@Controller()
export class FraudAlertsProcessor {
  @ViewHandler({
    view: FRAUD_ALERTS_VIEW,
    topic: Topics.fraudAlerts,
    joins: [USERS_VIEW],
    tables: [FRAUD_ALERTS_SEEN_TABLE],
  })
  async onFraudAlerts(@Payload() chunk: ViewChunk<FraudAlertsEvent>): Promise<void> {
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
