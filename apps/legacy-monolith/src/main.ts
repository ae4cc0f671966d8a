import { bootstrapService } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/**
 * legacy-monolith: the system of record for users (HTTP CRUD on its own `users` table). No Kafka: CDC
 * publishes the table. bootstrapService of @shop/nest-platform does config (exit 78), JSON logs, shutdown
 * hooks and listen; the Kafka parts of the platform (PlatformModule) are not used.
 *   node -r @swc-node/register apps/legacy-monolith/src/main.ts
 */
void bootstrapService({
  service: SERVICE_NAME,
  loadConfig: () => loadConfig(process.env),
  module: (config) => AppModule.forRoot(config),
});
