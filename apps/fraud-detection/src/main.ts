import { bootstrapService } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/**
 * fraud-detection: joins validated orders with its users view, keeps per-user windows on event time and
 * raises alerts (fraud-alerts topic, GET /alerts).
 *   node -r @swc-node/register apps/fraud-detection/src/main.ts
 */
void bootstrapService({
  service: SERVICE_NAME,
  loadConfig: () => loadConfig(process.env),
  module: (config, { onFatal }) => AppModule.forRoot(config, { onFatal }),
});
