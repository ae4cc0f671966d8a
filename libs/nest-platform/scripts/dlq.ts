/**
 * Dead letters from the command line (README, "Dead letters"):
 *
 *   npm run dlq -- list order-validations [--consumer shipping.shipments] [--limit 20] [--json]
 *   npm run dlq -- show order-validations 0:42 [--json]
 *   npm run dlq -- replay shipments --service shipping [--url http://127.0.0.1:3002] [--json]
 *
 * Env: KAFKA_BROKERS (default 127.0.0.1:19092), TOPIC_PREFIX (as the services), SERVICE_HOST (default 127.0.0.1).
 * Imports the CLI's own files, not the package index: it starts without loading Nest.
 */
import { runDlq } from '../src/dead-letters-cli/dlq-cli';

runDlq(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dlq: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
