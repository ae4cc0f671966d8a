/**
 * The load generator: a seeded scenario of users and orders, sent to a running system, plus the oracle
 * of what every view must end up holding.
 *   ORDER_VALIDATION_URL=http://127.0.0.1:3001 KAFKA_BROKERS=127.0.0.1:19092 SEED=7 USERS=300 ORDERS=3000 \
 *     node -r @swc-node/register apps/load-generator/src/main.ts
 * Env: ORDER_VALIDATION_URL, KAFKA_BROKERS, TOPIC_PREFIX, SEED, USERS, ORDERS, RATE (orders/s, 0 = as fast as
 * possible), CONCURRENCY, ORACLE_OUT (path for the oracle JSON), LOG_LEVEL, USERS_VIA (topic | monolith),
 * MONOLITH_URL (with USERS_VIA=monolith: users via the monolith's API and CDC; oracle not exact).
 * Exit code: 0 when every request was answered as specified, 1 otherwise, 78 for a bad configuration.
 */
import { ConfigError, JsonLogger } from '@shop/nest-platform';
import { loadConfig, type LoadGeneratorConfig } from './config/config';
import { runLoad } from './runner/run-load';

async function main(): Promise<void> {
  let config: LoadGeneratorConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = new JsonLogger({ service: 'load-generator', level: config.logLevel }).child('LoadGenerator');
  const { summary } = await runLoad({ ...config, log: (msg, fields) => logger.log({ msg, ...fields }) });
  logger.log({ msg: 'summary', ...summary });
  process.exitCode = summary.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  new JsonLogger({ service: 'load-generator' }).fatal(error instanceof Error ? error : new Error(String(error)), 'LoadGenerator');
  process.exit(1);
});
