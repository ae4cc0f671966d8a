/**
 * `npm run bench:system` (a benchmark that prints a table, not a timed test). On this machine's broker and
 * PostgreSQL it starts the four services as processes (fresh databases, a new topic prefix), seeds users on
 * the users topic, and drives POST /orders with autocannon over pre-generated valid bodies:
 *   A. full speed: BENCH_ORDERS orders over BENCH_CONNECTIONS connections; accepted/s at the front door and
 *      settled/s through all four services (until every view is caught up);
 *   B. a fixed BENCH_RATE orders/s for BENCH_SECONDS;
 * with p50/p95/p99 of the POST and of POST → verdict and POST → ShipmentCreated (record timestamps against the
 * placedAt the driver stamps when it builds the request; one clock, one box), and CPU seconds per 1,000 orders
 * of every process. Side by side, in the same run: Kafka's own ProducerPerformance (acks=all, same record
 * size) on the same broker, a bare NestJS POST that writes nothing, and the front door without group commit
 * (INTAKE_MAX_BATCH=1: one INSERT and one produce per request, as before).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { EventProducer, type IncomingRecord, type KafkaClient } from '@shop/kafka';
import { javaClientConfigFile } from '../harness/java-client';
import { localStatus } from '../harness/local-infra';
import { REPO_ROOT } from '../harness/processes';
import { freePort } from '@shop/testing';
import { SystemUnderTest } from '../harness/system';

const execFileP = promisify(execFile);
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ORDERS = num('BENCH_ORDERS', 20_000);
const USERS = num('BENCH_USERS', 10_000);
const CONNECTIONS = num('BENCH_CONNECTIONS', 64);
const RATE = num('BENCH_RATE', 500);
const SECONDS = num('BENCH_SECONDS', 20);
const NAIVE_ORDERS = num('BENCH_NAIVE_ORDERS', 5_000);
/** BENCH_LIMITS=0 skips the side-by-side limits (a quicker run while tuning). */
const LIMITS = process.env['BENCH_LIMITS'] !== '0';

const say = (message: string) => process.stdout.write(`[bench] ${message}\n`);

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
const pct = (values: readonly number[]) =>
  `${percentile(values, 50).toFixed(1)} / ${percentile(values, 95).toFixed(1)} / ${percentile(values, 99).toFixed(1)}`;

// ---------------------------------------------------------------- CPU of processes (Linux /proc)

const CLOCK_TICKS = 100; // USER_HZ on Linux
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
  } catch {
    return 0;
  }
}
/** Every PostgreSQL process (postmaster and backends) counts towards "postgres". */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);
}
type CpuSample = Map<string, number>;
function sampleCpu(processes: ReadonlyMap<string, number>): CpuSample {
  const sample = new Map<string, number>();
  for (const [name, pid] of processes) sample.set(name, cpuSecondsOf(pid));
  // Backends come and go; the sum over the ones alive now is what they used so far (those that exited are lost, a small undercount).
  sample.set(
    'postgres',
    postgresPids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
  );
  const self = process.cpuUsage();
  sample.set('driver (autocannon)', (self.user + self.system) / 1e6);
  return sample;
}
function cpuPerThousand(before: CpuSample, after: CpuSample, orders: number): string[] {
  return [...after].map(([name, s]) => `${name.padEnd(22)} ${(((s - (before.get(name) ?? 0)) * 1000) / orders).toFixed(2).padStart(7)} s`);
}

// ---------------------------------------------------------------- data

function user(i: number): UserRecord {
  const id = `bench-u-${i}`;
  return {
    id,
    email: `${id}@example.com`,
    name: `Bench ${i}`,
    status: 'active',
    country: 'DE',
    region: 'europe',
    address_line1: `${i} Hauptstraße`,
    city: 'Berlin',
    postal_code: '10115',
    created_at: '2025-01-01T00:00:00.000000Z',
    updated_at: '2025-01-01T00:00:00.000000Z',
  };
}

/** A valid order of a seeded user; placedAt is stamped when the request is built (the send time). */
function orderBody(run: string, i: number, placedAt: string): string {
  const unit = 1000 + (i % 50) * 10;
  return JSON.stringify({
    orderId: `${run}-${i}`,
    userId: `bench-u-${i % USERS}`,
    lines: [
      { productId: `p-${i % 40}`, category: ['books', 'games', 'music', 'garden'][i % 4], quantity: 1 + (i % 3), unitPriceCents: unit },
    ],
    currency: 'EUR',
    totalCents: unit * (1 + (i % 3)),
    placedAt,
  });
}

// ---------------------------------------------------------------- load driver

interface Drive {
  readonly accepted: number;
  readonly other: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

async function drive(
  url: string,
  run: string,
  options: { amount?: number; rate?: number; seconds?: number; connections?: number },
): Promise<Drive> {
  let next = 0;
  const latenciesMs: number[] = [];
  let accepted = 0;
  let other = 0;
  const started = Date.now();
  const options_: autocannon.Options = {
    url: `${url}/orders`,
    connections: options.connections ?? CONNECTIONS,
    ...(options.amount ? { amount: options.amount } : {}),
    ...(options.seconds ? { duration: options.seconds } : {}),
    ...(options.rate ? { overallRate: options.rate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: orderBody(run, next++, new Date().toISOString()) }) }],
  };
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(options_, (error) => (error ? reject(error) : resolve()));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latenciesMs.push(responseTime);
      if (statusCode === 202) accepted++;
      else other++;
    });
  });
  return { accepted, other, seconds: (Date.now() - started) / 1000, latenciesMs };
}

// ---------------------------------------------------------------- settle and read back

async function waitSettled(system: SystemUnderTest, expectedOrders: number, timeoutMs = 600_000): Promise<number> {
  const started = Date.now();
  const analytics = system.service('analytics').baseUrl;
  for (;;) {
    const totals = (await (await fetch(`${analytics}/analytics/totals`)).json()) as {
      orders: { validated: number; rejected: number };
      shipments: number;
    };
    if (totals.orders.validated + totals.orders.rejected >= expectedOrders && totals.shipments >= totals.orders.validated) {
      const health = await Promise.all([...system.services.keys()].map((name) => system.health(name)));
      if (health.every((h) => h.views.every((v) => v.lag === 0))) return Date.now();
    }
    if (Date.now() - started > timeoutMs) throw new Error(`not settled within ${timeoutMs / 1000} s: ${JSON.stringify(totals)}`);
    await sleep(100);
  }
}

/** Every record of `topic` as one batch consumer sees it from offset 0 (no per-record commits). */
async function readAll(client: KafkaClient, topic: string, expected: number): Promise<IncomingRecord[]> {
  const consumer = client.batchConsumer();
  const seen: IncomingRecord[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.start({
    groupId: `bench-read-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    topics: [topic],
    onAssigned: async (assignment) =>
      assignment.flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition, offset: 0n }))),
    eachBatch: async (batch) => {
      seen.push(...batch.records);
      if (seen.length >= expected) done();
    },
  });
  const timer = setTimeout(done, 60_000);
  await finished;
  clearTimeout(timer);
  await consumer.stop();
  return seen;
}

interface EndToEnd {
  readonly verdictMs: number[];
  readonly shipmentMs: number[];
  /** The hops: POST → OrderPlaced on the log (the front door), OrderPlaced → verdict, verdict → ShipmentCreated. */
  readonly placedMs: number[];
  readonly validatedMs: number[];
  readonly shippedMs: number[];
}

/**
 * POST → verdict and POST → ShipmentCreated per order of `run` (record timestamps minus the driver's placedAt),
 * and each hop between: a record's timestamp is when its producer sent it (CreateTime).
 */
async function endToEnd(client: KafkaClient, prefix: string, run: string, orders: number, validated: number): Promise<EndToEnd> {
  const placedRecords = await readAll(client, withTopicPrefix(Topics.orders, prefix).name, orders);
  const verdicts = await readAll(client, withTopicPrefix(Topics.orderValidations, prefix).name, orders);
  const shipments = await readAll(client, withTopicPrefix(Topics.shipments, prefix).name, validated);
  const onLog = new Map(placedRecords.map((r) => [r.key?.toString() ?? '', r.timestamp]));
  const placed = new Map<string, number>();
  const verdictAt = new Map<string, number>();
  const verdictMs: number[] = [];
  const placedMs: number[] = [];
  const validatedMs: number[] = [];
  for (const r of verdicts) {
    const key = r.key?.toString() ?? '';
    if (!key.startsWith(`${run}-`)) continue;
    const event = JSON.parse(r.value?.toString() ?? '{}') as { payload?: { placedAt?: string } };
    const at = Date.parse(event.payload?.placedAt ?? '');
    placed.set(key, at);
    verdictAt.set(key, r.timestamp);
    verdictMs.push(r.timestamp - at);
    const logged = onLog.get(key);
    if (logged !== undefined) {
      placedMs.push(logged - at);
      validatedMs.push(r.timestamp - logged);
    }
  }
  const shipmentMs: number[] = [];
  const shippedMs: number[] = [];
  for (const r of shipments) {
    const key = r.key?.toString() ?? '';
    const at = placed.get(key);
    if (at === undefined) continue;
    shipmentMs.push(r.timestamp - at);
    shippedMs.push(r.timestamp - (verdictAt.get(key) ?? at));
  }
  return { verdictMs, shipmentMs, placedMs, validatedMs, shippedMs };
}

/** The hops of the POST → ShipmentCreated latency, p50/p95/p99 each. */
const hops = (e: EndToEnd) => [
  `     hop POST → OrderPlaced on the log ${pct(e.placedMs)} ms`,
  `     hop OrderPlaced → verdict         ${pct(e.validatedMs)} ms`,
  `     hop verdict → ShipmentCreated     ${pct(e.shippedMs)} ms`,
];

/** Per service and view: records applied and transactions committed so far (GET /metrics). */
async function viewCounters(system: SystemUnderTest): Promise<Map<string, { records: number; transactions: number }>> {
  const counters = new Map<string, { records: number; transactions: number }>();
  for (const [name, service] of system.services) {
    const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
    for (const m of text.matchAll(/^(events_processed_total|view_transactions_total)\{view="([^"]+)"[^}]*\} (\d+)/gm)) {
      const key = `${name} ${m[2]}`;
      const entry = counters.get(key) ?? { records: 0, transactions: 0 };
      if (m[1] === 'events_processed_total') entry.records += Number(m[3]);
      else entry.transactions += Number(m[3]);
      counters.set(key, entry);
    }
  }
  return counters;
}

/** Records per view transaction between two viewCounters, for the views that applied any. */
const perTransaction = (before: Awaited<ReturnType<typeof viewCounters>>, after: Awaited<ReturnType<typeof viewCounters>>) =>
  [...after]
    .map(([key, a]) => {
      const b = before.get(key) ?? { records: 0, transactions: 0 };
      return { key, records: a.records - b.records, transactions: a.transactions - b.transactions };
    })
    .filter((v) => v.records > 0)
    .map(
      (v) =>
        `     ${v.key.padEnd(36)} ${v.records} records in ${v.transactions} transactions (${(v.records / Math.max(1, v.transactions)).toFixed(1)} per transaction)`,
    );

// ---------------------------------------------------------------- the limits

async function producerPerformance(
  jarsDir: string,
  brokers: string,
  clientConfig: string,
  topic: string,
  records: number,
  recordSize: number,
): Promise<string> {
  const java = process.env['JAVA_HOME'] ? path.join(process.env['JAVA_HOME'], 'bin', 'java') : 'java';
  const { stdout } = await execFileP(
    java,
    [
      '-Xmx512m',
      '-cp',
      `${jarsDir}/*`,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(recordSize),
      '--throughput',
      '-1',
      // The credentials from a file: --producer-props splits each value on '=', which a JAAS line holds.
      '--producer.config',
      clientConfig,
      '--producer-props',
      `bootstrap.servers=${brokers}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    { maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const match = /([\d.]+) records\/sec/.exec(last);
  return match ? `${Number(match[1]).toFixed(0)} records/s (${last.split(',').slice(2, 3).join('').trim()})` : last;
}

async function bareHttp(adapter: 'express' | 'fastify'): Promise<Drive> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(REPO_ROOT, 'apps/system-tests/src/bench/bare-http.main.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), HTTP_ADAPTER: adapter, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()));
  try {
    return await drive(`http://127.0.0.1:${port}`, `bare-${adapter}`, { amount: ORDERS });
  } finally {
    child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  process.env['SYSTEM_TEST_LOG_LEVEL'] ??= 'warn';
  const system = new SystemUnderTest();
  const client = system.kafkaClient(`bench-${Date.now()}`);
  const rows: string[] = [];
  try {
    await system.start();
    const producer = new EventProducer(await client.producer());
    const users = withTopicPrefix(Topics.users, system.topicPrefix);
    for (let i = 0; i < USERS; i += 1000) {
      await producer.send(
        users,
        Array.from({ length: Math.min(1000, USERS - i) }, (_, j) => ({ key: user(i + j).id, value: user(i + j) })),
      );
    }
    await producer.disconnect();
    await system.waitQuiescent(120_000, `${USERS} users in every users view`);

    const infra = await localStatus();
    const processes = new Map<string, number>();
    for (const [name, s] of system.services) if (s.process.child.pid) processes.set(name, s.process.child.pid);
    if (infra.components.kafka.pid) processes.set('kafka broker', infra.components.kafka.pid);
    const ov = system.service('order-validation').baseUrl;

    // A. Full speed.
    say(`A: ${ORDERS} orders at full speed over ${CONNECTIONS} connections…`);
    const cpuBefore = sampleCpu(processes);
    const t0 = Date.now();
    const a = await drive(ov, 'full', { amount: ORDERS });
    const settledAt = await waitSettled(system, ORDERS);
    const cpuAfter = sampleCpu(processes);
    const totalsA = (await (await fetch(`${system.service('analytics').baseUrl}/analytics/totals`)).json()) as {
      orders: { validated: number };
    };
    const e2eA = await endToEnd(client, system.topicPrefix, 'full', ORDERS, totalsA.orders.validated);
    const settledSeconds = (settledAt - t0) / 1000;

    // B. Fixed rate.
    say(`B: ${RATE} orders/s for ${SECONDS} s…`);
    const countersBefore = await viewCounters(system);
    const b = await drive(ov, 'fixed', { rate: RATE, seconds: SECONDS });
    await waitSettled(system, ORDERS + b.accepted);
    const countersAfter = await viewCounters(system);
    const totalsB = (await (await fetch(`${system.service('analytics').baseUrl}/analytics/totals`)).json()) as {
      orders: { validated: number };
    };
    const e2eB = await endToEnd(client, system.topicPrefix, 'fixed', ORDERS + b.accepted, totalsB.orders.validated);

    const rate = (d: Drive) => (d.accepted / d.seconds).toFixed(0);
    rows.push(
      `machine: ${process.platform} ${String(os.cpus().length)} cores, node ${process.version}; ${new Date().toISOString().slice(0, 10)}`,
      '',
      `A  full speed, ${ORDERS} orders, ${CONNECTIONS} connections`,
      `   accepted at POST /orders          ${rate(a)} orders/s   (${a.accepted} × 202, ${a.other} other)`,
      `   settled through all four services ${(ORDERS / settledSeconds).toFixed(0)} orders/s   (last view caught up ${((settledAt - t0) / 1000 - a.seconds).toFixed(1)} s after the last POST)`,
      `   POST latency p50/p95/p99          ${pct(a.latenciesMs)} ms`,
      `   POST → verdict p50/p95/p99        ${pct(e2eA.verdictMs)} ms`,
      `   POST → ShipmentCreated            ${pct(e2eA.shipmentMs)} ms`,
      ...hops(e2eA),
      '   CPU seconds per 1,000 orders:',
      ...cpuPerThousand(cpuBefore, cpuAfter, ORDERS).map((l) => `     ${l}`),
      '',
      `B  fixed ${RATE} orders/s for ${SECONDS} s: ${b.accepted} × 202, ${b.other} other, ${rate(b)} orders/s`,
      `   POST latency p50/p95/p99          ${pct(b.latenciesMs)} ms`,
      `   POST → verdict p50/p95/p99        ${pct(e2eB.verdictMs)} ms`,
      `   POST → ShipmentCreated            ${pct(e2eB.shipmentMs)} ms`,
      ...hops(e2eB),
      '   view transactions during B:',
      ...perTransaction(countersBefore, countersAfter),
    );
    if (!LIMITS) {
      process.stdout.write(`\n${rows.join('\n')}\n`);
      return;
    }

    // Limits, side by side on the same broker and machine.
    say('limits: ProducerPerformance, bare NestJS POST, the front door without group commit…');
    const perfTopic = `${system.topicPrefix}perf`;
    const admin = await client.admin();
    await admin.createTopics([{ name: perfTopic, partitions: 3, config: {} }]);
    const recordSize = 450;
    const clientConfig = javaClientConfigFile(path.join(system.logDir, 'kafka-client.properties'));
    const perf = await producerPerformance(
      infra.components.kafka.jarsDir,
      system.kafkaBrokers.join(','),
      clientConfig,
      perfTopic,
      200_000,
      recordSize,
    );
    await admin.disconnect();
    const bareExpress = await bareHttp('express');
    const bareFastify = await bareHttp('fastify');
    await system.kill('order-validation');
    system.restart('order-validation', { INTAKE_MAX_BATCH: '1' });
    await system.waitReady(120_000);
    const naive = await drive(ov, 'naive', { amount: NAIVE_ORDERS });

    rows.push(
      '',
      'limits, same run:',
      `   Kafka ProducerPerformance (acks=all, idempotent, ${recordSize} B, 3 partitions)   ${perf}`,
      `   bare NestJS POST, platform-express (parses, writes nothing)   ${rate(bareExpress)} req/s, p50/p95/p99 ${pct(bareExpress.latenciesMs)} ms`,
      `   bare NestJS POST, platform-fastify                             ${rate(bareFastify)} req/s, p50/p95/p99 ${pct(bareFastify.latenciesMs)} ms`,
      `   front door without group commit (INTAKE_MAX_BATCH=1), ${NAIVE_ORDERS} orders   ${rate(naive)} orders/s, p50/p95/p99 ${pct(naive.latenciesMs)} ms`,
      `   ratios: settled / bare HTTP (express, fastify) = ${(ORDERS / settledSeconds / (bareExpress.accepted / bareExpress.seconds)).toFixed(2)}, ${(ORDERS / settledSeconds / (bareFastify.accepted / bareFastify.seconds)).toFixed(2)}; accepted / without group commit = ${(Number(rate(a)) / Number(rate(naive))).toFixed(1)}×`,
    );
    process.stdout.write(`\n${rows.join('\n')}\n`);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
