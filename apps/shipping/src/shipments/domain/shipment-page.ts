import type { Shipment } from './shipment-rules';

export interface ShipmentPage {
  /** Shipments in the view, all pages together. */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** Ordered by order id. */
  readonly items: readonly Shipment[];
}
