import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startProcess, tail, type ManagedProcess } from './processes';
import type { SystemUnderTest } from './system';

export interface LoadRun {
  readonly exitCode: number | null;
  /** The load generator's summary line (its JSON log entry with msg "summary"). */
  readonly summary: Record<string, unknown> | null;
  readonly oracleFile: string;
  readonly logFile: string;
  readonly durationMs: number;
}

/**
 * Runs apps/load-generator as its own process (an app may not import another app) and waits for it:
 * users on the topic, every order POSTed, the oracle written to ORACLE_OUT.
 */
export async function runLoadGenerator(env: {
  orderValidationUrl: string;
  kafkaBrokers: readonly string[];
  topicPrefix: string;
  seed: number;
  users: number;
  orders: number;
  rate: number;
  logDir: string;
  /** More load-generator variables (HTTP_ATTEMPTS, CONCURRENCY…). */
  extraEnv?: Record<string, string>;
}): Promise<LoadRun> {
  const oracleFile = path.join(env.logDir, 'oracle.json');
  const logFile = path.join(env.logDir, 'load-generator.log');
  const started = Date.now();
  const proc: ManagedProcess = startProcess(
    'load-generator',
    'apps/load-generator/src/main.ts',
    {
      ORDER_VALIDATION_URL: env.orderValidationUrl,
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      TOPIC_PREFIX: env.topicPrefix,
      SEED: String(env.seed),
      USERS: String(env.users),
      ORDERS: String(env.orders),
      RATE: String(env.rate),
      ORACLE_OUT: oracleFile,
      LOG_LEVEL: 'log',
      ...env.extraEnv,
    },
    logFile,
  );
  const { code } = await proc.exited;
  let summary: Record<string, unknown> | null = null;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry['msg'] === 'summary') summary = entry;
    } catch {
      // not a JSON line
    }
  }
  if (!summary) process.stdout.write(`[system-tests] load generator wrote no summary; last lines:\n${tail(logFile)}\n`);
  return { exitCode: code, summary, oracleFile, logFile, durationMs: Date.now() - started };
}

/**
 * The load generator against a running system: its topic prefix, broker and log folder, and every
 * order-validation instance as the front door (requests spread and fail over across them).
 */
export function runLoadAgainst(
  system: SystemUnderTest,
  load: { seed: number; users: number; orders: number; rate: number; extraEnv?: Record<string, string> },
): Promise<LoadRun> {
  return runLoadGenerator({
    orderValidationUrl: system.urls('order-validation').join(','),
    kafkaBrokers: system.kafkaBrokers,
    topicPrefix: system.topicPrefix,
    logDir: system.logDir,
    ...load,
  });
}
