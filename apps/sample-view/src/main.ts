import type { INestApplication } from '@nestjs/common';
import { createApp } from './app.factory';
import { SERVICE_NAME } from './app.module';
import { ConfigError, loadConfig, type SampleViewConfig } from './config/config';
import { JsonLogger } from './platform/json.logger';

/**
 * sample-view: keeps its own materialized view of the `users` changelog in its own PostgreSQL database
 * and serves it over HTTP (GET /users, GET /users/:id, GET /health, POST /admin/rebuild).
 *   node -r @swc-node/register apps/sample-view/src/main.ts
 */
async function main(): Promise<void> {
  let config: SampleViewConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = new JsonLogger({ service: SERVICE_NAME, level: config.logLevel });
  // A view's consumer died for good: close what is open (graceful) and exit non-zero, so the orchestrator restarts us.
  const running: { app?: INestApplication } = {};
  const onFatal = (error: Error) => {
    logger.fatal({ msg: 'stopping after a fatal error', error: error.message }, 'Main');
    const exit = () => process.exit(1);
    if (running.app) void running.app.close().then(exit, exit);
    else exit();
  };
  const app = await createApp(config, { logger, onFatal });
  running.app = app;
  await app.listen(config.port);
  logger.log({ msg: 'listening', port: config.port, url: `http://localhost:${config.port}` }, 'Main');
}

main().catch((error: unknown) => {
  const err = error instanceof Error ? error : new Error(String(error));
  new JsonLogger({ service: SERVICE_NAME }).fatal(err, 'Main');
  process.exit(1);
});
