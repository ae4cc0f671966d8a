import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './processes';

/**
 * Calls of infra/local/index.mjs (ensure, down, connectionInfo). It is an ES module, and a test file runs in
 * jest's VM, where a dynamic `import()` needs --experimental-vm-modules; so each call runs in a short-lived
 * `node` child that imports the module for real (as tools/jest/int-global-setup.cjs does in jest's main process).
 */
const INFRA_LOCAL = pathToFileURL(path.join(REPO_ROOT, 'infra', 'local', 'index.mjs')).href;

/** A component of infra/local; `kafka-N` is node N of the cluster profile (SHOP_KAFKA_BROKERS=3). */
export type LocalComponent = 'kafka' | 'postgres' | 'connect' | `kafka-${number}`;

async function callInfraLocal<T>(call: string, timeoutMs: number): Promise<T> {
  const script = `const infra = await import(${JSON.stringify(INFRA_LOCAL)}); const r = await ${call}; process.stdout.write('\\n@@result ' + JSON.stringify(r ?? null) + '\\n');`;
  return new Promise<T>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: REPO_ROOT, env: process.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('@@result '));
        if (error || !line) {
          reject(
            new Error(`infra/local ${call} failed: ${error?.message ?? 'no result'}\n${stderr.trim().split('\n').slice(-20).join('\n')}`),
          );
          return;
        }
        resolve(JSON.parse(line.slice('@@result '.length)) as T);
      },
    );
  });
}

/** Stops the given local components (infra/local `down({ only })`); which ones were running. */
export function localDown(only: readonly LocalComponent[], timeoutMs = 120_000): Promise<Record<string, unknown>> {
  return callInfraLocal(`infra.down({ only: ${JSON.stringify(only)} })`, timeoutMs);
}

/** Starts the given local components if they are not running (infra/local `ensure({ only })`). */
export function localEnsure(
  only: readonly LocalComponent[],
  timeoutMs = 180_000,
): Promise<{ started: Record<string, boolean>; info: { connectUrl: string } }> {
  return callInfraLocal(`infra.ensure({ only: ${JSON.stringify(only)} })`, timeoutMs);
}

/** Where the local infra serves (infra/local `connectionInfo()`). */
export function localConnectionInfo(): Promise<{
  profile: 'single' | 'cluster';
  kafkaBrokers: string[];
  kafkaReplication: { replicationFactor: number; minInsyncReplicas: number };
  postgresUrl: string;
  connectUrl: string;
  /** Every listener of kafkaBrokers asks for SASL PLAIN: every principal's password. */
  kafkaSasl?: { mechanism: 'plain'; passwords: Record<string, string> };
}> {
  return callInfraLocal('infra.connectionInfo()', 30_000);
}

/** SIGKILLs the given local components (infra/local `kill({ only })`: the whole process group, no shutdown). */
export function localKill(only: readonly LocalComponent[], timeoutMs = 30_000): Promise<Record<string, number>> {
  return callInfraLocal(`infra.kill({ only: ${JSON.stringify(only)} })`, timeoutMs);
}

export interface LocalStatus {
  readonly components: {
    readonly kafka: { readonly pid: number | null; readonly jarsDir: string };
    readonly postgres: { readonly pid: number | null };
    readonly connect: { readonly pid: number | null };
  };
}

/** What runs locally, with pids and the Kafka jars directory (infra/local `status()`). */
export function localStatus(): Promise<LocalStatus> {
  return callInfraLocal('infra.status()', 30_000);
}
