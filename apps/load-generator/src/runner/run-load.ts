import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FRAUD_RULES, Topics, withTopicPrefix, type FraudRule, type UserRecord } from '@shop/contracts';
import {
  EventProducer,
  KafkajsClient,
  provisionTopics,
  type Admin,
  type KafkaClient,
  type KafkaSecurity,
  kafkaSecurityFromEnv,
} from '@shop/kafka';
import { computeOracle, type Oracle } from '../domain/oracle';
import { monolithUserPlan, shiftScenario, type UserChange } from '../domain/monolith-users';
import { orderPlacedV1, pickV1Orders } from '../domain/legacy-orders';
import { buildScenario, orderJson, type OrderRequest, type Scenario, type ScenarioUserChange } from '../domain/scenario';
import { runMonolithUserPhase, waitForUsersOnTopic } from './monolith-users';
import { postJson, type PostOutcome } from './http-client';
import { pool } from './pool';

export interface RunLoadOptions {
  readonly orderValidationUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** Who it is to the brokers; default: the environment's KAFKA_SASL_* (kafkaSecurityFromEnv). */
  readonly kafkaSecurity?: KafkaSecurity;
  readonly topicPrefix: string;
  readonly seed: number;
  readonly users: number;
  readonly orders: number;
  /** Orders per second; 0 = as fast as `concurrency` allows. */
  readonly rate: number;
  readonly concurrency?: number;
  /** Attempts per order request (default 8). */
  readonly httpAttempts?: number;
  /** Write the oracle as JSON here. */
  readonly oracleOut?: string;
  /** Structured progress lines; default: none. */
  readonly log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** For tests: another Kafka client. */
  readonly kafka?: KafkaClient;
  readonly usersOnTopicTimeoutMs?: number;
  /**
   * `topic` (default): users produced directly to `<prefix>users` in the CDC format with the scenario's own
   * `created_at` — keep it: the oracle-exact system test needs those controlled account ages.
   * `monolith`: users created and changed through the legacy monolith's API (`monolithUrl`), reaching the
   * topic through CDC; event times shifted to "now", oracle not exact (demo mode).
   */
  readonly usersVia?: 'topic' | 'monolith';
  readonly monolithUrl?: string;
  /**
   * `scenario` (default): each order's `placedAt` is the scenario's (spread over hours of event time).
   * `wall`: `placedAt` is the moment the order is sent, so a live dashboard shows the orders per minute
   * actually flowing (the demo). The oracle's windows are then not exact.
   */
  readonly eventTime?: 'scenario' | 'wall';
  /** Monolith mode: the user changes to apply; default monolithUserPlan(scenario).changes. */
  readonly userChanges?: readonly UserChange[];
  /**
   * History from before OrderPlaced v2: this many orders (pickV1Orders) go straight onto `<prefix>orders` as v1
   * records, as order-validation wrote them before the upgrade, ahead of the others, which POST /orders turns into
   * v2. Default 0. The oracle is the same: the views must read both versions alike.
   */
  readonly v1Orders?: number;
}

export interface LoadSummary {
  /** True when every order got 202, every bad body got 400 and every idempotency check answered as specified. */
  readonly ok: boolean;
  readonly seed: number;
  readonly topicPrefix: string;
  readonly usersVia: 'topic' | 'monolith';
  /** False in monolith mode: account ages come from the monolith's clock, so fraud/analytics may differ from the oracle. */
  readonly oracleExact: boolean;
  readonly usersProduced: number;
  /** User updates and deletes applied: through the monolith before the orders, or on the topic between them. */
  readonly userChanges: { readonly updated: number; readonly deleted: number };
  /** Monolith mode: orders of the account-age patterns left out. */
  readonly skippedOrders: number;
  readonly ordersPosted: number;
  /** Orders written to the topic as OrderPlaced v1 instead of posted (v1Orders). */
  readonly ordersAsV1: number;
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

/**
 * The whole load run: builds the scenario for the seed, produces its users to `<prefix>users` (as change
 * data capture would) — or, with `usersVia: 'monolith'`, creates and changes them through the monolith's
 * API and shifts the event times to now — waits until they are all on the topic, POSTs every order to order-validation
 * (bounded concurrency, optional rate, an Idempotency-Key on every request, retries with the same key),
 * checks that the bad bodies got 400 and that the idempotency rules hold, and returns a summary with the
 * oracle (also written to `oracleOut`).
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const usersVia = options.usersVia ?? 'topic';
  const built = buildScenario({ seed: options.seed, users: options.users, orders: options.orders });
  const problems: string[] = [];
  const problem = (line: string) => {
    if (problems.length < 50) problems.push(line);
  };
  const usersTopic = withTopicPrefix(Topics.users, options.topicPrefix);
  const kafka =
    options.kafka ??
    new KafkajsClient({
      clientId: `load-generator-${options.seed}`,
      brokers: options.kafkaBrokers,
      security: options.kafkaSecurity ?? kafkaSecurityFromEnv(),
    });

  // Monolith mode: users through the monolith's API first, then the scenario on a clock starting "now".
  let scenario = built;
  let skippedOrders = 0;
  const monolithChanges = { updated: 0, deleted: 0 };
  if (usersVia === 'monolith') {
    if (!options.monolithUrl) throw new Error('usersVia monolith needs monolithUrl');
    log(
      "monolith mode: the monolith stamps created_at with real time, so event times are shifted to now, the account-age patterns are left out, and the oracle for fraud and analytics is NOT exact (demo mode); the exact oracle is the topic mode's",
    );
    const admin = await kafka.admin();
    try {
      await provisionTopics(admin, [usersTopic]);
    } finally {
      await admin.disconnect();
    }
    const plan = monolithUserPlan(built);
    const phase = await runMonolithUserPhase({
      monolithUrl: options.monolithUrl,
      users: plan.users,
      changes: options.userChanges ?? plan.changes,
      concurrency: options.concurrency ?? 8,
      log,
    });
    phase.problems.forEach(problem);
    monolithChanges.updated = phase.updated;
    monolithChanges.deleted = phase.deleted;
    const missing = await waitForUsersOnTopic(kafka, usersTopic.name, phase.expected, options.usersOnTopicTimeoutMs ?? 60_000);
    if (missing.length > 0)
      throw new Error(
        `${missing.length} of ${phase.expected.size} users not (yet) as expected on ${usersTopic.name} (CDC running?), e.g. ${missing.slice(0, 5).join(', ')}`,
      );
    log('users on the topic (via CDC)', { topic: usersTopic.name, users: phase.expected.size });
    const shifted = shiftScenario(built, Date.now());
    // The oracle sees the users as they end up (updated profiles, deleted users gone).
    const users = shifted.scenario.users.flatMap((u) => {
      const final = phase.expected.get(u.id);
      return final ? [{ ...u, ...final }] : [];
    });
    // The monolith's own changes came first; the topic mode's changes between orders are not replayed here.
    scenario = { ...shifted.scenario, users, userChanges: [] };
    skippedOrders = shifted.skipped.length;
  }
  const oracle = computeOracle(scenario);
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

  // 1. Topic mode: users directly on the topic in the CDC format, with the scenario's own created_at.
  if (usersVia === 'topic') {
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
  }

  // 2. Orders, in segments between the user changes: each change goes on the users topic once every order
  // before it was accepted (202) and before any later order is sent, so an order meets the user as the changes
  // before it left them (see ScenarioUserChange). In each segment, first its share of the v1 history, straight
  // onto the topic as order-validation wrote it before the upgrade, then the others through the front door.
  // Records of the generator carry explicit, increasing timestamps: a v1 order (no users-as-of header) joins
  // as of its timestamp, which must lie after the changes before it and before those after it.
  const v1 = pickV1Orders(scenario.orders, options.v1Orders ?? 0);
  const asV1 = new Set(v1.map((o) => o.body.orderId));
  const posted = scenario.orders.filter((o) => !asV1.has(o.body.orderId));
  const changesBefore = new Map<string, ScenarioUserChange[]>();
  for (const change of scenario.userChanges)
    changesBefore.set(change.beforeOrderId, [...(changesBefore.get(change.beforeOrderId) ?? []), change]);
  const segments: { changes: ScenarioUserChange[]; orders: OrderRequest[] }[] = [{ changes: [], orders: [] }];
  for (const order of scenario.orders) {
    const changes = changesBefore.get(order.body.orderId);
    if (changes) segments.push({ changes, orders: [] });
    (segments.at(-1) as { orders: OrderRequest[] }).orders.push(order);
  }
  let lastTimestamp = 0;
  const nextTimestamp = () => (lastTimestamp = Math.max(Date.now(), lastTimestamp + 1));
  const ordersTopic = withTopicPrefix(Topics.orders, options.topicPrefix).name;
  const producer = await kafka.producer();
  const users = new EventProducer(producer);

  // Several comma-separated base URLs: instances of order-validation, used as a load balancer would.
  const url = options.orderValidationUrl.split(',').map((u) => `${u.trim().replace(/\/+$/, '')}/orders`);
  const concurrency = options.concurrency ?? 8;
  const ordersStarted = Date.now();
  const due = (i: number) => (options.rate > 0 ? ordersStarted + (i * 1000) / options.rate : 0);
  let retries = 0;
  let lastProgress = Date.now();
  // The body sent for each order, kept so the idempotency checks below retry exactly what was sent.
  const sent = new Map<string, string>();
  const bodyOf = (order: OrderRequest): string => {
    const known = sent.get(order.body.orderId);
    if (known) return known;
    const scenarioJson = orderJson(order);
    const json =
      options.eventTime === 'wall'
        ? JSON.stringify({ ...(JSON.parse(scenarioJson) as Record<string, unknown>), placedAt: new Date().toISOString() })
        : scenarioJson;
    sent.set(order.body.orderId, json);
    return json;
  };
  const post = async (order: OrderRequest): Promise<PostOutcome> =>
    postJson(url, bodyOf(order), order.idempotencyKey, { maxAttempts: options.httpAttempts ?? 8 });
  let accepted = v1.length;
  let postedSoFar = 0;
  const userChanges = { ...monolithChanges };
  try {
    for (const segment of segments) {
      if (segment.changes.length > 0) {
        const timestamp = nextTimestamp();
        await users.send(
          usersTopic,
          segment.changes.map((c) => ({ key: c.userId, value: c.record, timestamp })),
        );
        for (const c of segment.changes) userChanges[c.record === null ? 'deleted' : 'updated'] += 1;
        log('users changed between orders', {
          before: segment.orders[0]?.body.orderId,
          changes: segment.changes.map((c) => `${c.userId}:${c.kind}`),
        });
      }
      const history = segment.orders.filter((o) => asV1.has(o.body.orderId));
      for (let i = 0; i < history.length; i += USER_BATCH) {
        const timestamp = nextTimestamp();
        await producer.send(
          ordersTopic,
          history.slice(i, i + USER_BATCH).map((o) => ({ key: o.body.orderId, value: JSON.stringify(orderPlacedV1(o)), timestamp })),
        );
      }
      const batch = segment.orders.filter((o) => !asV1.has(o.body.orderId));
      const offset = postedSoFar;
      await pool(
        batch.length,
        concurrency,
        (i) => due(offset + i),
        async (i) => {
          const order = batch[i] as OrderRequest;
          const outcome = await post(order);
          retries += outcome.attempts - 1;
          const body = outcome.body as { orderId?: unknown } | null;
          if (outcome.status === 202 && body?.orderId === order.body.orderId) accepted += 1;
          else problem(`order ${order.body.orderId} (${order.intent.kind}): expected 202 with its orderId, got ${describe(outcome)}`);
          if (Date.now() - lastProgress > 5_000) {
            lastProgress = Date.now();
            log('progress', { posted: offset + i + 1, of: posted.length, accepted, retries });
          }
        },
      );
      postedSoFar += batch.length;
      // A change must not overtake the orders before it: all of them have their answer now. Lost ones were
      // reported as problems above.
      nextTimestamp();
    }
  } finally {
    await producer.disconnect();
  }
  if (v1.length > 0) log('OrderPlaced v1 history on the topic', { orders: v1.length });
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
    await check('retry with the same key and body', bodyOf(first), first.idempotencyKey, 202, first.body.orderId);
    await check('same key, another body', orderJson(second), first.idempotencyKey, 422);
    await check('placed orderId under a new key', orderJson(second), `${second.idempotencyKey}-again`, 409);
  }

  const summary: LoadSummary = {
    ok: problems.length === 0,
    seed: options.seed,
    topicPrefix: options.topicPrefix,
    usersVia,
    oracleExact: usersVia === 'topic',
    usersProduced: scenario.users.length,
    userChanges,
    skippedOrders,
    ordersPosted: posted.length,
    ordersAsV1: v1.length,
    ordersAccepted: accepted,
    retries,
    badRequests: { sent: scenario.badRequests.length, got400 },
    idempotencyChecks: { run: checks, passed },
    durationMs: Date.now() - started,
    ordersPerSecond: Math.round((posted.length / Math.max(ordersMs, 1)) * 1000 * 10) / 10,
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
