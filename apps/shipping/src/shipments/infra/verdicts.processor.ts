import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type OrderVerdictEvent } from '@shop/contracts';
import { readUsersAsOf, type AsOfRequest, type SqlExecutor } from '@shop/kafka';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { USERS_VIEW, USERS_VIEW_TABLE } from '../../users/infra/users.view';
import { recipientsNeeded, shipmentCreatedEvent, shipmentsFromVerdicts, type Recipient, type Shipment } from '../domain/shipment-rules';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const SHIPMENTS_VIEW = 'shipments';
export const SHIPMENTS_TABLE = 'shipments';

const INSERT_SHIPMENTS = `
  INSERT INTO ${SHIPMENTS_TABLE}
    (order_id, shipment_id, user_id, address_line1, city, postal_code, country, recipient_name, recipient_email, created_at, verdict_id)
  SELECT * FROM unnest(
    $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::text[]
  )
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id`;

/** Each verdict's recipient as of its users-as-of position, keyed by order id. */
async function readRecipients(tx: SqlExecutor, requests: readonly (AsOfRequest & { orderId: string })[]): Promise<Map<string, Recipient>> {
  const rows = await readUsersAsOf(tx, USERS_VIEW_TABLE, requests, ['name', 'email']);
  return new Map(requests.flatMap((r, i) => (rows[i] ? [[r.orderId, { name: rows[i].name, email: rows[i].email }] as const] : [])));
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
 * The verdicts processor: a stream–table join of `order-validations` with the versioned users view. For each
 * chunk of one partition, in its transaction (the platform has waited for the users view): read each recipient
 * as of its verdict's users-as-of position →
 * insert one shipment per validated order that has none (`ON CONFLICT (order_id) DO NOTHING RETURNING`) →
 * produce ShipmentCreated for exactly the rows that came back, awaiting the broker's ack → (the platform)
 * commit rows and position. A redelivered verdict inserts nothing and produces nothing; a transaction that
 * rolls back after producing rolls its rows back too, so the replay produces the same events (same ids).
 */
@Controller()
export class VerdictsProcessor {
  @ViewHandler({
    view: SHIPMENTS_VIEW,
    topic: Topics.orderValidations,
    joins: [USERS_VIEW],
    produces: [Topics.shipments],
    tables: [SHIPMENTS_TABLE],
    span: 'shipping: create shipment',
  })
  async onVerdicts(@Payload() chunk: ViewChunk<OrderVerdictEvent>): Promise<void> {
    const verdicts = chunk.values();
    const needed = recipientsNeeded(verdicts);
    if (needed.length === 0) return; // only rejections: nothing to ship
    const recipients = await readRecipients(
      chunk.tx,
      needed.map((n) => ({ key: n.userId, asOf: chunk.usersAsOf(n.orderId), orderId: n.orderId })),
    );
    const candidates = shipmentsFromVerdicts(verdicts, recipients);
    if (candidates.length === 0) return;
    const created = await insertNew(chunk.tx, candidates);
    await chunk.produce(
      Topics.shipments,
      candidates.filter((s) => created.has(s.orderId)).map((s) => ({ key: s.orderId, value: shipmentCreatedEvent(s) })),
    );
  }
}
