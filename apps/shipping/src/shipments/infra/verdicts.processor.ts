import { Topics, withTopicPrefix, type OrderVerdictEvent, type ShipmentCreatedEvent, type TopicDefinition } from '@shop/contracts';
import { Logger } from '@nestjs/common';
import { continueTrace, firstHeadersByKey, type EventProducer, type MaterializedView, type SqlExecutor, type ViewRecord } from '@shop/kafka';
import { chunkLogFields } from '@shop/nest-platform';
import { USERS_VIEW_TABLE } from '../../users/infra/users.view';
import { recipientIdsOf, shipmentCreatedEvent, shipmentsFromVerdicts, type Recipient, type Shipment } from '../domain/shipment-rules';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const SHIPMENTS_VIEW = 'shipments';
export const SHIPMENTS_TABLE = 'shipments';

export interface VerdictsProcessorOptions {
  readonly topicPrefix: string;
  /** Produces ShipmentCreated inside `apply`, before the view's transaction commits. */
  readonly producer: EventProducer;
  /**
   * Waits (bounded) until the users view holds everything the `users` topic held when called
   * (`materializer('users').catchUp(ms)`). Rejects when the bound is reached.
   */
  readonly catchUpUsers: () => Promise<void>;
}

/** The topic this processor writes (single writer): ShipmentCreated keyed by order id. */
export function shipmentsTopic(topicPrefix: string): TopicDefinition<ShipmentCreatedEvent> {
  return withTopicPrefix(Topics.shipments, topicPrefix);
}

const INSERT_SHIPMENTS = `
  INSERT INTO ${SHIPMENTS_TABLE}
    (order_id, shipment_id, user_id, address_line1, city, postal_code, country, recipient_name, recipient_email, created_at, verdict_id)
  SELECT * FROM unnest(
    $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::text[]
  )
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id`;

const SELECT_RECIPIENTS = `SELECT id, name, email FROM ${USERS_VIEW_TABLE} WHERE id = ANY($1::text[])`;

async function readRecipients(tx: SqlExecutor, userIds: readonly string[]): Promise<Map<string, Recipient>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<{ id: string; name: string; email: string }[]>(SELECT_RECIPIENTS, userIds);
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}

/** Inserts the shipments whose order has none yet (one statement); returns the order ids it created. */
async function insertNew(tx: SqlExecutor, shipments: readonly Shipment[]): Promise<Set<string>> {
  const column = <T>(pick: (s: Shipment) => T) => shipments.map(pick);
  const rows = await tx.$queryRawUnsafe<{ order_id: string }[]>(
    INSERT_SHIPMENTS,
    column((s) => s.orderId),
    column((s) => s.shipmentId),
    column((s) => s.userId),
    column((s) => s.address.line1),
    column((s) => s.address.city),
    column((s) => s.address.postalCode),
    column((s) => s.address.country),
    column((s) => s.recipient?.name ?? null),
    column((s) => s.recipient?.email ?? null),
    column((s) => s.createdAt),
    column((s) => s.verdictId),
  );
  return new Set(rows.map((r) => r.order_id));
}

/**
 * The verdicts processor: a stream–table join of `order-validations` with the users view. For each chunk
 * of one partition, in one transaction: wait for the users view → read the recipients → insert one
 * shipment per validated order that has none (`ON CONFLICT (order_id) DO NOTHING RETURNING`) → produce
 * ShipmentCreated for exactly the rows that came back, awaiting the broker's ack → (the materializer)
 * commit rows and position. A redelivered verdict inserts nothing and produces nothing; a transaction
 * that rolls back after producing rolls its rows back too, so the replay produces the same events (same
 * ids) again.
 */
export function verdictsProcessor(options: VerdictsProcessorOptions): MaterializedView<OrderVerdictEvent> {
  const shipments = shipmentsTopic(options.topicPrefix);
  const logger = new Logger('VerdictsProcessor');
  return {
    name: SHIPMENTS_VIEW,
    topic: withTopicPrefix(Topics.orderValidations, options.topicPrefix),
    async apply(tx: SqlExecutor, records: readonly ViewRecord<OrderVerdictEvent>[]): Promise<void> {
      const verdicts = records.flatMap((r) => (r.value === null ? [] : [r.value]));
      const userIds = recipientIdsOf(verdicts);
      if (userIds.length === 0) return; // only rejections: nothing to ship, nothing to join
      // If the users view does not catch up in time this throws: not the records' fault, so the
      // materializer stalls the partition and retries (nothing is dead-lettered, nothing joins stale data).
      await options.catchUpUsers();
      const candidates = shipmentsFromVerdicts(verdicts, await readRecipients(tx, userIds));
      if (candidates.length === 0) return;
      const created = await insertNew(tx, candidates);
      const fresh = candidates.filter((s) => created.has(s.orderId));
      if (fresh.length === 0) return;
      // Each ShipmentCreated continues the trace of its verdict record (W3C traceparent in the headers).
      const incoming = firstHeadersByKey(records);
      const traced = fresh.map((s) => ({ shipment: s, trace: continueTrace('shipping: create shipment', incoming.get(s.orderId)) }));
      await options.producer.send(
        shipments,
        traced.map(({ shipment, trace }) => ({ key: shipment.orderId, value: shipmentCreatedEvent(shipment), headers: trace.headers })),
      );
      logger.log({
        msg: 'shipments created',
        ...chunkLogFields(traced.map(({ shipment, trace }) => ({ orderId: shipment.orderId, traceId: trace.traceId }))),
      });
    },
    async reset(tx: SqlExecutor): Promise<void> {
      await tx.$executeRawUnsafe(`TRUNCATE ${SHIPMENTS_TABLE}`);
    },
  };
}
