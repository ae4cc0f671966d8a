import { createHash } from 'node:crypto';
import type { Address, OrderValidatedEvent, OrderVerdictEvent, ShipmentCreatedEvent } from '@shop/contracts';

/**
 * The shipping rules, pure: which verdicts yield a shipment, what the shipment holds and which event
 * announces it. No I/O: the verdicts processor (infra) reads the users view and writes/produces around these.
 */

export const SHIPPING_SOURCE = 'shipping';
const SHIPMENT_ID_PREFIX = 'shp-';
/** Ids of the contracts (idSchema) are at most 64 characters. */
const MAX_ID_LENGTH = 64;

/** Who receives the parcel: the user's name and email as the users view held them. */
export interface Recipient {
  readonly name: string;
  readonly email: string;
}

export interface Shipment {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly userId: string;
  /** The verdict's shippingAddress: the snapshot at validation time, never the user's later address. */
  readonly address: Address;
  /** null when the users view did not know the user when the verdict was applied. */
  readonly recipient: Recipient | null;
  /** The verdict's validatedAt, verbatim: a rebuild from the log reproduces it. */
  readonly createdAt: string;
  /** Envelope id of the verdict that caused the shipment. */
  readonly verdictId: string;
}

/**
 * The shipment id of an order: `shp-<orderId>`. docs/services.md says `<orderId>:shipment`, but the
 * contracts' idSchema allows only letters, digits, "_" and "-"; `<orderId>:shipment` stays the event id.
 * An order id too long for the prefix (61–64 characters) gets `shp-` + the first 60 hex digits of its
 * SHA-256, still deterministic and schema-valid.
 */
export function shipmentIdFor(orderId: string): string {
  const plain = `${SHIPMENT_ID_PREFIX}${orderId}`;
  if (plain.length <= MAX_ID_LENGTH) return plain;
  const digest = createHash('sha256').update(orderId, 'utf8').digest('hex');
  return `${SHIPMENT_ID_PREFIX}${digest.slice(0, MAX_ID_LENGTH - SHIPMENT_ID_PREFIX.length)}`;
}

/** Envelope id of the ShipmentCreated event of an order (deterministic: redelivery and rebuild reuse it). */
export function shipmentEventIdFor(orderId: string): string {
  return `${orderId}:shipment`;
}

/** Only an OrderValidated verdict ships; OrderRejected yields nothing. */
export function isShippable(verdict: OrderVerdictEvent): verdict is OrderValidatedEvent {
  return verdict.type === 'OrderValidated';
}

/** The shipment of one verdict, or undefined when the verdict does not ship. */
export function shipmentFromVerdict(verdict: OrderVerdictEvent, recipient: Recipient | undefined): Shipment | undefined {
  if (!isShippable(verdict)) return undefined;
  const { orderId, userId, shippingAddress, validatedAt } = verdict.payload;
  return {
    shipmentId: shipmentIdFor(orderId),
    orderId,
    userId,
    address: {
      line1: shippingAddress.line1,
      city: shippingAddress.city,
      postalCode: shippingAddress.postalCode,
      country: shippingAddress.country,
    },
    recipient: recipient ? { name: recipient.name, email: recipient.email } : null,
    createdAt: validatedAt,
    verdictId: verdict.id,
  };
}

/**
 * The orders whose recipient a chunk of verdicts needs, with their user (validated ones only, each order once):
 * each recipient is read as of its own verdict, since a user may have changed between two of their orders.
 */
export function recipientsNeeded(verdicts: readonly OrderVerdictEvent[]): { orderId: string; userId: string }[] {
  const byOrder = new Map<string, string>();
  for (const v of verdicts) if (isShippable(v) && !byOrder.has(v.payload.orderId)) byOrder.set(v.payload.orderId, v.payload.userId);
  return [...byOrder].map(([orderId, userId]) => ({ orderId, userId }));
}

/**
 * The shipments of a chunk of verdicts, in log order, one per order: the first validated verdict of an
 * order wins (a repeated verdict in the same chunk does nothing, as one in a later chunk does in the table).
 * `recipients` by order id: the user as of that order's verdict (none: the user was unknown then).
 */
export function shipmentsFromVerdicts(verdicts: readonly OrderVerdictEvent[], recipients: ReadonlyMap<string, Recipient>): Shipment[] {
  const byOrder = new Map<string, Shipment>();
  for (const verdict of verdicts) {
    if (byOrder.has(verdict.payload.orderId)) continue;
    const shipment = shipmentFromVerdict(verdict, recipients.get(verdict.payload.orderId));
    if (shipment) byOrder.set(shipment.orderId, shipment);
  }
  return [...byOrder.values()];
}

/** The ShipmentCreated event of a shipment; every field derives from the verdict, so replays produce it identically. */
export function shipmentCreatedEvent(shipment: Shipment): ShipmentCreatedEvent {
  return {
    id: shipmentEventIdFor(shipment.orderId),
    type: 'ShipmentCreated',
    version: 1,
    occurredAt: shipment.createdAt,
    source: SHIPPING_SOURCE,
    correlationId: shipment.orderId,
    causationId: shipment.verdictId,
    payload: {
      shipmentId: shipment.shipmentId,
      orderId: shipment.orderId,
      userId: shipment.userId,
      address: shipment.address,
      createdAt: shipment.createdAt,
    },
  };
}
