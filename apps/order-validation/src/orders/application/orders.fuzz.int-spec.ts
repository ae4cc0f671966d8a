import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { committedApiDocument } from '@shop/nest-platform';
import {
  apiAnswerCheck,
  describeBody,
  errorBodyProblems,
  fuzzSeed,
  fuzzedBodies,
  inParallel,
  injector,
  startServiceUnderTest,
  uniqueName,
  waitUntil,
  written,
  type ApiDocument,
  type FuzzBody,
  type InjectedAnswer,
  type ServiceUnderTest,
} from '@shop/testing';
import fc from 'fast-check';
import { z } from 'zod';
import { AppModule, SERVICE_NAME } from '../../app.module';
import { loadConfig, type OrderValidationConfig } from '../../config/config';
import { parseIdempotencyKey, parsePlaceOrderRequest, placedAtProblem } from '../domain/order-request';

/**
 * Property-based fuzz test of POST /orders against the real service, its database and the broker: thousands of
 * valid and mutated bodies (fast-check, fixed seed; FUZZ_SEED=<n> replays another), sent through fastify's
 * inject at bounded concurrency. Every answer is 202, 400, 413, 415 or 422 (never a 5xx, never another 4xx),
 * the one the service's own validation predicts; every 4xx is the one error body, as the OpenAPI document
 * gives it; an accepted order is a real order (in the ledger, once on `orders`, judged); and a run of bodies that
 * must all be refused leaves every table and every topic as it was.
 */
const SEED = fuzzSeed(20261202);
/** Bodies per batch (one fast-check run), and at most this many requests in flight. */
const BATCH = 100;
const CONCURRENCY = 8;
/** Batches of the mixed part (valid and mutated: accepted ones write) and of the part that must write nothing. */
const MIXED_BATCHES = 30;
const REFUSED_BATCHES = 30;
const BODY_LIMIT_BYTES = 100 * 1024;

/** The orderId placeholder a valid body carries, replaced (same length) by a number unique in the run. */
const ORDER_ID_SLOT = 'fz-######';
const KEY_SLOT = 'key-######';
const USERS = ['u-fz-0', 'u-fz-1', 'u-fz-2', 'u-fz-3', 'u-fz-4', 'u-fz-5'];

const line = fc.record({
  productId: fc.constantFrom('p-1', 'p-2', 'p-3', 'sku_9-x'),
  category: fc.constantFrom('books', 'games', 'toys', 'garden', 'Bücher & Spiele'),
  quantity: fc.integer({ min: 1, max: 20 }),
  unitPriceCents: fc.integer({ min: 0, max: 100_000 }),
});
const validOrder = fc
  .record(
    {
      orderId: fc.constant(ORDER_ID_SLOT),
      userId: fc.constantFrom(...USERS),
      lines: fc.array(line, { minLength: 1, maxLength: 4 }),
      currency: fc.constantFrom('EUR', 'USD', 'GBP'),
      shippingAddress: fc.option(
        fc.record({
          line1: fc.constantFrom('1 Main St', '2 Rue de la Paix', '3 Hauptstraße'),
          city: fc.constantFrom('Springfield', 'Paris', 'Berlin'),
          postalCode: fc.constantFrom('12345', '75002', '10115'),
          country: fc.constantFrom('US', 'FR', 'DE'),
        }),
      ),
      // Always in the past: the run does not depend on the clock.
      placedAt: fc
        .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2025-12-31T23:59:59Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      channel: fc.constantFrom('web', 'mobile', 'api'),
    },
    { requiredKeys: ['userId', 'lines', 'currency'] },
  )
  .map((order) => ({ ...order, totalCents: order.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0) }));

/** The Idempotency-Key: mostly none, often a fresh one, sometimes one the service must refuse. */
const idempotencyKey = fc.oneof(
  { weight: 14, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 5, arbitrary: fc.constant<string | undefined>(KEY_SLOT) },
  { weight: 1, arbitrary: fc.constantFrom<string | undefined>('', 'has space', 'x'.repeat(201), 'key\u007f') },
);

interface Request {
  readonly body: FuzzBody;
  readonly key: string | undefined;
}

const requests = fc.record({ body: fuzzedBodies(validOrder, { bodyLimitBytes: BODY_LIMIT_BYTES }), key: idempotencyKey });

describe('POST /orders under fuzzed bodies (fast-check)', () => {
  let sut: ServiceUnderTest<OrderValidationConfig>;
  let send: ReturnType<typeof injector>;
  let check: ReturnType<typeof apiAnswerCheck>;
  let serial = 0;
  const accepted = new Map<string, { readonly userId: unknown; readonly key: string | undefined; readonly request: unknown }>();
  const usedOrderIds = new Set<string>();
  const tally = { sent: 0, byStatus: new Map<number, number>() };
  const started = Date.now();

  /** The request with its unique orderId and key in place, or undefined when it would reuse an accepted orderId. */
  function prepared({ body, key }: Request): Request {
    const n = String(serial++).padStart(6, '0');
    return {
      body: { ...body, payload: body.payload.split(ORDER_ID_SLOT).join(`fz-${n}`) },
      key: key === KEY_SLOT ? `key-${n}` : key,
    };
  }

  /** What the service must answer: the platform's verdict on the bytes, else its own validation. */
  function expected({ body, key }: Request): number {
    if (body.expect !== 'validate') return body.expect;
    const parsed = parsePlaceOrderRequest(body.payload.length === 0 ? undefined : JSON.parse(body.payload));
    if (!parsed.ok || !parseIdempotencyKey(key).ok) return 400;
    if (placedAtProblem(parsed.request, new Date(), sut.config.maxPlacedAtAheadMs) !== null) return 400;
    return 202;
  }

  async function post(request: Request): Promise<InjectedAnswer> {
    const headers: Record<string, string> = {};
    if (request.body.contentType !== undefined) headers['content-type'] = request.body.contentType;
    if (request.key !== undefined) headers['idempotency-key'] = request.key;
    return send({ method: 'POST', url: '/orders', headers, payload: request.body.payload });
  }

  /** Sends a batch; the problems of its answers (empty when every answer is as it must be). */
  async function sendBatch(batch: readonly Request[], allowed: readonly number[]): Promise<string[]> {
    const answers = await inParallel(batch, CONCURRENCY, post);
    const problems: string[] = [];
    answers.forEach((answer, index) => {
      const request = batch[index] as Request;
      const want = expected(request);
      tally.sent++;
      tally.byStatus.set(answer.status, (tally.byStatus.get(answer.status) ?? 0) + 1);
      const wrong: string[] = [];
      if (!allowed.includes(answer.status)) wrong.push(`status ${answer.status} is not one of ${allowed.join(', ')}`);
      if (answer.status !== want) wrong.push(`expected ${want}, got ${answer.status}`);
      if (answer.status >= 400 && answer.status < 500) {
        wrong.push(...errorBodyProblems(answer.status, answer.body, { orderId: z.string().optional() }));
        wrong.push(...check('POST', '/orders', answer.status, answer.body));
      }
      if (answer.status === 202) {
        const orderId = (answer.body as { orderId?: unknown } | undefined)?.orderId;
        if (typeof orderId !== 'string') wrong.push('202 without an orderId');
        else {
          const value = JSON.parse(request.body.payload) as { userId?: unknown };
          accepted.set(orderId, { userId: value.userId, key: request.key, request: value });
        }
      }
      if (wrong.length > 0)
        problems.push(
          `${describeBody(request.body)} key ${JSON.stringify(request.key)}: ${wrong.join('; ')} — ${answer.text.slice(0, 300)}`,
        );
    });
    return problems;
  }

  const failure = (problems: readonly string[]) =>
    new Error(`seed ${SEED} (replay: FUZZ_SEED=${SEED}): ${problems.length} wrong answer(s):\n${problems.slice(0, 10).join('\n')}`);

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: SERVICE_NAME,
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: `${uniqueName('ovfz')}_`,
      // The relay must not publish an order a second time while its request is still producing it: every
      // accepted order is then exactly once on `orders`.
      env: { OUTBOX_GRACE_MS: '600000' },
    });
    send = injector(sut.app);
    check = apiAnswerCheck(JSON.parse(committedApiDocument('order-validation')) as ApiDocument);
    const user = (id: string): UserRecord => ({
      id,
      email: `${id}@example.com`,
      name: `User ${id}`,
      status: 'active',
      country: 'DE',
      region: 'europe',
      address_line1: '1 Hauptstraße',
      city: 'Berlin',
      postal_code: '10115',
      created_at: '2019-11-25T10:00:00.000000Z',
      updated_at: '2019-11-25T10:00:00.000000Z',
    });
    await sut.kafka.producer.send(
      withTopicPrefix(Topics.users, sut.topicPrefix),
      USERS.map((id) => ({ key: id, value: user(id) })),
    );
    await waitUntil(async () => ((await send({ method: 'GET', url: '/health' })).status === 200 ? true : undefined), {
      description: 'order-validation ready with the users',
      timeoutMs: 30_000,
    });
  });

  afterAll(async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
    process.stdout.write(`POST /orders fuzz (seed ${SEED}): ${tally.sent} bodies in ${seconds} s; ${statuses.join(', ')}\n`);
    await sut?.stop();
  });

  it('answers valid and mutated bodies with 202 / 400 / 413 / 415 as its validation predicts, and every accepted one is a real order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requests, { minLength: BATCH, maxLength: BATCH }), async (generated) => {
        const batch = generated.map(prepared).filter((request) => {
          // An orderId accepted before would be a 409: keep the first of each.
          if (expected(request) !== 202) return true;
          const orderId = (JSON.parse(request.body.payload) as { orderId?: unknown }).orderId;
          if (typeof orderId !== 'string') return true;
          if (usedOrderIds.has(orderId)) return false;
          usedOrderIds.add(orderId);
          return true;
        });
        const problems = await sendBatch(batch, [202, 400, 413, 415]);
        if (problems.length > 0) throw failure(problems);
      }),
      { seed: SEED, numRuns: MIXED_BATCHES, endOnFailure: true },
    );
    expect(accepted.size).toBeGreaterThan(MIXED_BATCHES * 10);

    // Every accepted order is in the ledger, once on `orders`, and judged once (on `order-validations`).
    const orders = withTopicPrefix(Topics.orders, sut.topicPrefix).name;
    const verdicts = withTopicPrefix(Topics.orderValidations, sut.topicPrefix).name;
    // Verdicts are produced before their transaction commits: wait for both.
    const now = await waitUntil(
      async () => {
        const seen = await written(sut.database.url, { admin: sut.kafka.admin, prefix: sut.topicPrefix });
        const judged = seen.topics[verdicts] === String(accepted.size) && seen.tables['orders']?.rows === accepted.size;
        return judged ? seen : undefined;
      },
      { description: `a verdict on each of the ${accepted.size} accepted orders, on the topic and in the table`, timeoutMs: 60_000 },
    );
    expect(now.tables['placed_orders']?.rows).toBe(accepted.size);
    expect(now.topics[orders]).toBe(String(accepted.size));
    expect(now.topics[`${orders}.dlq`]).toBe('0');
    const unreal = (
      await inParallel([...accepted], CONCURRENCY, async ([orderId, sent]) => {
        const answer = await send({ method: 'GET', url: `/orders/${encodeURIComponent(orderId)}` });
        const view = answer.body as { status?: unknown; userId?: unknown } | undefined;
        const real = answer.status === 200 && ['validated', 'rejected'].includes(String(view?.status)) && view?.userId === sent.userId;
        return real ? undefined : `${orderId}: GET answered ${answer.status} ${answer.text.slice(0, 200)}`;
      })
    ).filter((problem) => problem !== undefined);
    if (unreal.length > 0) throw failure(unreal);
  });

  it('writes nothing and produces nothing for bodies it must refuse (400 / 413 / 415, and 422 for a reused Idempotency-Key)', async () => {
    const keyed = [...accepted].filter(([, sent]) => sent.key !== undefined).slice(0, 40);
    expect(keyed.length).toBeGreaterThan(10);
    let refusedBodies = 0;
    const snapshot = () => written(sut.database.url, { admin: sut.kafka.admin, prefix: sut.topicPrefix });
    const before = await snapshot();

    // The key of an accepted order with another (valid) body.
    const reused: Request[] = keyed.map(([, sent]) => {
      const other = { ...(sent.request as Record<string, unknown>), orderId: undefined, currency: 'CHF' };
      return {
        body: { mutation: 'key reused', contentType: 'application/json', payload: JSON.stringify(other), expect: 'validate' },
        key: sent.key,
      };
    });
    const reusedAnswers = await inParallel(reused, CONCURRENCY, post);
    const reusedProblems = reusedAnswers.flatMap((answer, index) => {
      const wrong = [
        ...(answer.status === 422 ? [] : [`expected 422, got ${answer.status}`]),
        ...errorBodyProblems(answer.status, answer.body, { orderId: z.string() }),
        ...check('POST', '/orders', answer.status, answer.body),
      ];
      return wrong.length > 0 ? [`${describeBody((reused[index] as Request).body)}: ${wrong.join('; ')}`] : [];
    });
    tally.sent += reused.length;
    tally.byStatus.set(422, (tally.byStatus.get(422) ?? 0) + reusedAnswers.filter((a) => a.status === 422).length);
    if (reusedProblems.length > 0) throw failure(reusedProblems);

    await fc.assert(
      fc.asyncProperty(
        fc.array(
          requests.filter((request) => request.body.mutation !== 'valid'),
          { minLength: BATCH, maxLength: BATCH },
        ),
        async (generated) => {
          // Only bodies it must refuse: the others would write.
          const batch = generated.map(prepared).filter((request) => expected(request) !== 202);
          refusedBodies += batch.length;
          const atStart = await snapshot();
          const problems = await sendBatch(batch, [400, 413, 415]);
          if (problems.length > 0) throw failure(problems);
          expect(await snapshot()).toEqual(atStart);
        },
      ),
      { seed: SEED + 1, numRuns: REFUSED_BATCHES, endOnFailure: true },
    );
    expect(refusedBodies).toBeGreaterThan(REFUSED_BATCHES * BATCH * 0.6);
    expect(await snapshot()).toEqual(before);
  });
});
