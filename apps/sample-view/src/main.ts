import { bootstrapService } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/**
 * sample-view: keeps its own materialized view of the `users` changelog in its own PostgreSQL database
 * and serves it over HTTP (GET /users, GET /users/:id, GET /health, POST /admin/rebuild).
 *   node -r @swc-node/register apps/sample-view/src/main.ts
 */
void bootstrapService({
  service: SERVICE_NAME,
  loadConfig: () => loadConfig(process.env),
  module: (config, { onFatal }) => AppModule.forRoot(config, { onFatal }),
});
