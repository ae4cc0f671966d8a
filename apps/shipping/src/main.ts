import { bootstrapService } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/**
 * shipping: one shipment per validated order (the verdict's address, the recipient from its users view),
 * announced as ShipmentCreated on `shipments`; serves GET /shipments, GET /shipments/:orderId, GET /health,
 * POST /admin/rebuild.
 *   node -r @swc-node/register apps/shipping/src/main.ts
 */
void bootstrapService({
  service: SERVICE_NAME,
  loadConfig: () => loadConfig(process.env),
  module: (config, { onFatal }) => AppModule.forRoot(config, { onFatal }),
});
