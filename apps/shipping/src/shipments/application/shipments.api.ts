import { addressSchema, envelopeMetadataSchema, idSchema, timestampSchema, userRecordSchema } from '@shop/contracts';
import { apiModel, pageOf, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import type { ShipmentPage } from '../domain/shipment-page';
import type { Shipment } from '../domain/shipment-rules';

/** The bodies of GET /shipments and GET /shipments/:orderId, from the contracts' pieces (checked against the types). */
const shipmentSchema = schemaFor<Shipment>()(
  z.object({
    shipmentId: idSchema.describe('shp-<orderId>'),
    orderId: idSchema,
    userId: idSchema,
    address: addressSchema.describe("the verdict's shippingAddress: the snapshot at validation time"),
    recipient: z
      .object({ name: userRecordSchema.shape.name, email: userRecordSchema.shape.email })
      .nullable()
      .describe('null when the users view did not know the user when the verdict was applied'),
    createdAt: timestampSchema.describe("the verdict's validatedAt"),
    verdictId: envelopeMetadataSchema.shape.id.describe('envelope id of the verdict that caused the shipment'),
  }),
);

export const ShipmentModel = apiModel('Shipment', shipmentSchema);
export const ShipmentPageModel = apiModel('ShipmentPage', schemaFor<ShipmentPage>()(pageOf(shipmentSchema, 'ordered by order id')));
