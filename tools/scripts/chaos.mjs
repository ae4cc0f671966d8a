#!/usr/bin/env node
// `npm run chaos`: the chaos run at full size (a script that prints figures; `npm test` runs a small one).
// A seeded load through the front door at CHAOS_RATE orders/s while every service is SIGKILLed CHAOS_KILLS
// times (restarted as a supervisor would), then PostgreSQL and the broker are SIGKILLed and restarted. Prints
// for each fault the time to /health/live and to every service ready, the client's retries, and whether every
// view equals the oracle. Defaults: CHAOS_KILLS=10, CHAOS_RATE=100, CHAOS_ORDERS sized to outlast the faults.
// The driver is apps/system-tests/src/chaos.e2e-spec.ts (the same code as the small run in `npm test`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const kills = Number(process.env.CHAOS_KILLS ?? 10);
const rate = Number(process.env.CHAOS_RATE ?? 100);
// About 8 s per service kill (restart + catch-up) and 30 s for the infra faults, with a margin.
const orders = Number(process.env.CHAOS_ORDERS ?? Math.ceil(rate * (kills * 4 * 8 + 60)));
const env = { ...process.env, CHAOS_KILLS: String(kills), CHAOS_RATE: String(rate), CHAOS_ORDERS: String(orders) };
process.stdout.write(`[chaos] ${kills} SIGKILLs per service, ${orders} orders at ${rate}/s, then PostgreSQL and the broker\n`);
const child = spawn(
  process.execPath,
  [
    path.join(ROOT, 'tools', 'scripts', 'with-infra.mjs'),
    process.execPath,
    path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
    '-c',
    'apps/system-tests/jest.e2e.config.cjs',
    'apps/system-tests/src/chaos.e2e-spec.ts',
  ],
  { cwd: ROOT, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
