#!/usr/bin/env node
// Runs a command against a real Kafka broker and PostgreSQL: the ones given by KAFKA_BROKERS and
// DATABASE_URL, otherwise the local infra (as its admin: adminEnv) (started here if it is not running, and stopped again at the
// end unless SHOP_KEEP_INFRA=1). Usage: node tools/scripts/with-infra.mjs <command> [args…]
import { spawn } from 'node:child_process';
import { adminEnv, down, ensure } from '../../infra/local/index.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: with-infra.mjs <command> [args…]');
  process.exit(2);
}

const env = { ...process.env };
// kafkajs schedules timers with a negative delay (tulios/kafkajs#1751), which Node 24 reports on every call. The
// services drop that one warning in their Kafka adapter; jest's sandboxed workers cannot, so the runs started
// here (tests, benchmarks) disable it by type. Every other warning is still printed.
if (!/--disable-warning=TimeoutNegativeWarning/.test(env.NODE_OPTIONS ?? '')) {
  env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --disable-warning=TimeoutNegativeWarning`.trim();
}
let started = [];
if (!env.KAFKA_BROKERS || !env.DATABASE_URL) {
  const result = await ensure();
  started = Object.entries(result.started)
    .filter(([, didStart]) => didStart)
    .map(([name]) => name);
  // The broker's SASL listener as the admin principal, the superuser's database URL; on the cluster profile
  // (SHOP_KAFKA_BROKERS=3) what the run creates is replicated as its own topics are.
  Object.assign(env, adminEnv(result.info, env));
}

async function stopStarted() {
  if (started.length > 0 && env.SHOP_KEEP_INFRA !== '1') {
    console.error(`[infra] stopping what this run started: ${started.join(', ')}`);
    await down({ only: started });
  }
}

const child = spawn(command, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code, signal) => {
  await stopStarted();
  process.exit(code ?? (signal ? 1 : 0));
});
