import { bootstrapService } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/**
 * order-validation, the front door: POST /orders (→ `orders`), GET /orders/:id, and the orders processor
 * that judges every OrderPlaced against its users view (→ `order-validations`). GET /health, POST /admin/rebuild.
 *   node -r @swc-node/register apps/order-validation/src/main.ts
 */
void bootstrapService({
  service: SERVICE_NAME,
  loadConfig: () => loadConfig(process.env),
  module: (config, { onFatal }) => AppModule.forRoot(config, { onFatal }),
});
