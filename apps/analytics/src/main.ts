import { bootstrapService } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/**
 * analytics: roll-ups of validated orders (by region, product, category; 1-minute, 1-hour and total windows on
 * event time) and counts of rejected orders, shipments and fraud alerts, in its own PostgreSQL database, over
 * HTTP (GET /analytics/totals, GET /analytics/windows, GET /health, POST /admin/rebuild).
 *   node -r @swc-node/register apps/analytics/src/main.ts
 */
void bootstrapService({
  service: SERVICE_NAME,
  loadConfig: () => loadConfig(process.env),
  module: (config, { onFatal }) => AppModule.forRoot(config, { onFatal }),
});
