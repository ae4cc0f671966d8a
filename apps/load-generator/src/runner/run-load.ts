import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { EventProducer, KafkajsClient, provisionTopics, type Admin, type KafkaClient } from '@shop/kafka';
import { computeOracle, type Oracle } from '../domain/oracle';
import { FRAUD_RULES, type FraudRule } from '../domain/rules';
import { buildScenario, orderJson, type OrderRequest, type Scenario } from '../domain/scenario';
import { postJson, type PostOutcome } from './http-client';

export interface RunLoadOptions {
  readonly orderValidationUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly topicPrefix: string;
  readonly seed: number;
  readonly users: number;
  readonly orders: number;
  /** Orders per second; 0 = as fast as `concurrency` allows. */
  readonly rate: number;
  readonly concurrency?: number;
  /** Write the oracle as JSON here. */
  readonly oracleOut?: string;
  /** Structured progress lines; default: none. */
  readonly log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** For tests: another Kafka client. */
  readonly kafka?: KafkaClient;
  readonly usersOnTopicTimeoutMs?: number;
}

export interface LoadSummary {
  /** True when every order got 202, every bad body got 400 and every idempotency check answered as specified. */
  readonly ok: boolean;
  readonly seed: number;
  readonly topicPrefix: string;
  readonly usersProduced: number;
  readonly ordersPosted: number;
  readonly ordersAccepted: number;
  readonly retries: number;
  readonly badRequests: { readonly sent: number; readonly got400: number };
  readonly idempotencyChecks: { readonly run: number; readonly passed: number };
  readonly durationMs: number;
  readonly ordersPerSecond: number;
  readonly eventTime: { readonly from: string; readonly to: string };
  readonly expected: {
    readonly validated: number;
    readonly rejected: number;
    readonly shipments: number;
    readonly alerts: number;
    readonly alertsByRule: Readonly<Record<FraudRule, number>>;
    readonly revenueCents: number;
  };
  /** What went wrong (at most 50 lines). */
  readonly problems: readonly string[];
  readonly oracleOut: string | null;
}

export interface LoadResult {
  readonly summary: LoadSummary;
  readonly scenario: Scenario;
  readonly oracle: Oracle;
}

const USER_BATCH = 500;

async function totalHighWatermark(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

function describe(outcome: PostOutcome): string {
  const body = typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body);
  return `${outcome.status === 0 ? `no answer (${outcome.error ?? 'unknown error'})` : `HTTP ${outcome.status}`} after ${outcome.attempts} attempt(s): ${(body ?? '').slice(0, 300)}`;
}

/** Runs `work` for 0..count-1 with at most `concurrency` in flight; `due(i)` delays the start of item i. */
async function pool(count: number, concurrency: number, due: (i: number) => number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const wait = due(i) - Date.now();
      if (wait > 0) await sleep(wait);
      await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(count, 1)) }, worker));
}

/**
 * The whole load run: builds the scenario for the seed, produces its users to `<prefix>users` (as change
 * data capture would), waits until they are all on the topic, POSTs every order to order-validation
 * (bounded concurrency, optional rate, an Idempotency-Key on every request, retries with the same key),
 * checks that the bad bodies got 400 and that the idempotency rules hold, and returns a summary with the
 * oracle (also written to `oracleOut`).
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const scenario = buildScenario({ seed: options.seed, users: options.users, orders: options.orders });
  const oracle = computeOracle(scenario);
  const problems: string[] = [];
  const problem = (line: string) => {
    if (problems.length < 50) problems.push(line);
  };
  log('scenario built', {
    seed: options.seed,
    users: scenario.users.length,
    orders: scenario.orders.length,
    badRequests: scenario.badRequests.length,
    eventTime: `${scenario.startsAt} … ${scenario.endsAt}`,
    expectedValidated: oracle.counts.validated,
    expectedRejected: oracle.counts.rejected,
    expectedAlerts: oracle.alerts.length,
  });
  if (options.oracleOut) {
    await mkdir(path.dirname(path.resolve(options.oracleOut)), { recursive: true });
    await writeFile(options.oracleOut, JSON.stringify(oracle));
    log('oracle written', { path: options.oracleOut });
  }

  // 1. Users, directly on the topic in the CDC format (until the monolith's CDC lands).
  const usersTopic = withTopicPrefix(Topics.users, options.topicPrefix);
  const kafka = options.kafka ?? new KafkajsClient({ clientId: `load-generator-${options.seed}`, brokers: options.kafkaBrokers });
  const admin = await kafka.admin();
  try {
    await provisionTopics(admin, [usersTopic]);
    const before = await totalHighWatermark(admin, usersTopic.name);
    const producer = new EventProducer(await kafka.producer());
    try {
      for (let i = 0; i < scenario.users.length; i += USER_BATCH) {
        const batch = scenario.users.slice(i, i + USER_BATCH).map((u: UserRecord) => ({ key: u.id, value: u }));
        await producer.send(usersTopic, batch);
      }
    } finally {
      await producer.disconnect();
    }
    const wanted = before + scenario.users.length;
    const deadline = Date.now() + (options.usersOnTopicTimeoutMs ?? 60_000);
    for (;;) {
      const high = await totalHighWatermark(admin, usersTopic.name);
      if (high >= wanted) break;
      if (Date.now() > deadline) throw new Error(`only ${high - before} of ${scenario.users.length} users reached ${usersTopic.name}`);
      await sleep(200);
    }
    log('users on the topic', { topic: usersTopic.name, users: scenario.users.length });
  } finally {
    await admin.disconnect();
  }

  // 2. Orders.
  const url = `${options.orderValidationUrl.replace(/\/+$/, '')}/orders`;
  const concurrency = options.concurrency ?? 8;
  const ordersStarted = Date.now();
  const due = (i: number) => (options.rate > 0 ? ordersStarted + (i * 1000) / options.rate : 0);
  let accepted = 0;
  let retries = 0;
  let lastProgress = Date.now();
  const post = async (order: OrderRequest): Promise<PostOutcome> => postJson(url, orderJson(order), order.idempotencyKey);
  await pool(scenario.orders.length, concurrency, due, async (i) => {
    const order = scenario.orders[i] as OrderRequest;
    const outcome = await post(order);
    retries += outcome.attempts - 1;
    const body = outcome.body as { orderId?: unknown } | null;
    if (outcome.status === 202 && body?.orderId === order.body.orderId) accepted += 1;
    else problem(`order ${order.body.orderId} (${order.intent.kind}): expected 202 with its orderId, got ${describe(outcome)}`);
    if (Date.now() - lastProgress > 5_000) {
      lastProgress = Date.now();
      log('progress', { posted: i + 1, of: scenario.orders.length, accepted, retries });
    }
  });
  const ordersMs = Date.now() - ordersStarted;

  // 3. Bad bodies: 400, nothing written.
  let got400 = 0;
  for (const bad of scenario.badRequests) {
    const outcome = await postJson(url, bad.rawBody, bad.idempotencyKey);
    if (outcome.status === 400) got400 += 1;
    else problem(`bad request "${bad.label}": expected 400, got ${describe(outcome)}`);
  }

  // 4. Idempotency rules of POST /orders, on a few orders already placed.
  let checks = 0;
  let passed = 0;
  const check = async (label: string, rawBody: string, key: string, expected: number, orderId?: string) => {
    checks += 1;
    const outcome = await postJson(url, rawBody, key);
    const body = outcome.body as { orderId?: unknown } | null;
    if (outcome.status === expected && (orderId === undefined || body?.orderId === orderId)) passed += 1;
    else problem(`${label}: expected ${expected}${orderId ? ` with orderId ${orderId}` : ''}, got ${describe(outcome)}`);
  };
  const [first, second] = scenario.orders;
  if (first && second) {
    await check('retry with the same key and body', orderJson(first), first.idempotencyKey, 202, first.body.orderId);
    await check('same key, another body', orderJson(second), first.idempotencyKey, 422);
    await check('placed orderId under a new key', orderJson(second), `${second.idempotencyKey}-again`, 409);
  }

  const summary: LoadSummary = {
    ok: problems.length === 0,
    seed: options.seed,
    topicPrefix: options.topicPrefix,
    usersProduced: scenario.users.length,
    ordersPosted: scenario.orders.length,
    ordersAccepted: accepted,
    retries,
    badRequests: { sent: scenario.badRequests.length, got400 },
    idempotencyChecks: { run: checks, passed },
    durationMs: Date.now() - started,
    ordersPerSecond: Math.round((scenario.orders.length / Math.max(ordersMs, 1)) * 1000 * 10) / 10,
    eventTime: { from: scenario.startsAt, to: scenario.endsAt },
    expected: {
      validated: oracle.counts.validated,
      rejected: oracle.counts.rejected,
      shipments: Object.keys(oracle.shipments).length,
      alerts: oracle.alerts.length,
      alertsByRule: Object.fromEntries(FRAUD_RULES.map((r) => [r, oracle.analytics.totals.alertsByRule[r]])) as Record<FraudRule, number>,
      revenueCents: oracle.analytics.totals.revenueCents,
    },
    problems,
    oracleOut: options.oracleOut ?? null,
  };
  return { summary, scenario, oracle };
}
