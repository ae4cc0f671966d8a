import { bootstrapService } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/**
 * customer-profiles: the views of users, order-validations, shipments, fraud-alerts in its own database; serves GET /health, GET /docs, POST /admin/rebuild.
 *   node -r @swc-node/register apps/customer-profiles/src/main.ts
 */
void bootstrapService({
  service: SERVICE_NAME,
  loadConfig: () => loadConfig(process.env),
  module: (config, { onFatal }) => AppModule.forRoot(config, { onFatal }),
});
