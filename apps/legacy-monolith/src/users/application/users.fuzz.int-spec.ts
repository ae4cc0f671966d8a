import { userRecordSchema } from '@shop/contracts';
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
  tableFingerprints,
  type ApiDocument,
  type FuzzBody,
  type InjectedAnswer,
  type ServiceUnderTest,
} from '@shop/testing';
import fc from 'fast-check';
import { AppModule } from '../../app.module';
import { loadConfig, type LegacyMonolithConfig } from '../../config/config';
import { isUserId, parseCreateUser, parseUserPatch } from '../domain/user-input';

/**
 * Property-based fuzz test of the monolith's user API (POST /users, PATCH /users/:id) against the real service
 * and its database: valid and mutated bodies (fast-check, fixed seed; FUZZ_SEED=<n> replays another) through
 * fastify's inject at bounded concurrency. Every answer is 201 / 200 / 400 / 413 / 415 as the service's own
 * validation predicts (never a 5xx), every 4xx the one error body as the OpenAPI document gives it, every
 * created or updated user real (read back), and a run of bodies that must all be refused leaves the table as
 * it was (so CDC publishes nothing).
 */
const SEED = fuzzSeed(20261203);
const BATCH = 100;
const CONCURRENCY = 8;
const MIXED_BATCHES = 25;
const REFUSED_BATCHES = 25;
const BODY_LIMIT_BYTES = 100 * 1024;
/** Replaced (same length) by a number unique in the run, so that valid bodies never collide (409). */
const SLOT = '######';
const SEEDED = Array.from({ length: 10 }, (_, i) => `u-seed-${i}`);

const text = (values: readonly string[]) => fc.constantFrom(...values);
const address = {
  address_line1: fc.option(text(['1 Main St', '12 St James Sq', 'Hauptstraße 5', '東京都千代田区 1-1'])),
  city: fc.option(text(['London', 'Berlin', 'São Paulo', 'Zürich'])),
  postal_code: fc.option(text(['SW1Y 4JH', '10115', '01310-000'])),
};
const validCreate = fc.record(
  {
    id: fc.constant(`fz-${SLOT}`),
    email: fc.constantFrom(`fz-${SLOT}@example.com`, `Fz.${SLOT}@Example.COM`),
    name: text(['Ada Lovelace', 'Grace Hopper', 'Zoë Ñúñez', '李小龍']),
    status: text(['active', 'suspended']),
    country: text(['GB', 'DE', 'BR', 'JP']),
    region: text(['europe', 'south-america', 'asia']),
    ...address,
  },
  { requiredKeys: ['email', 'name', 'country', 'region'] },
);
const validPatch = fc
  .record(
    {
      email: fc.constant(`fz-${SLOT}@example.org`),
      name: text(['Augusta Ada King', 'Rear Admiral Hopper']),
      status: text(['active', 'suspended']),
      country: text(['FR', 'US']),
      region: text(['europe', 'north-america']),
      ...address,
    },
    { requiredKeys: [] },
  )
  .filter((patch) => Object.keys(patch).length > 0);

const options = { bodyLimitBytes: BODY_LIMIT_BYTES };
/** A create, or a patch of a seeded user (now and then of an id that cannot be one: 400). */
const requests = fc.oneof(
  fuzzedBodies(validCreate, options).map((body) => ({ method: 'POST' as const, path: '/users', id: undefined, body })),
  fc
    .tuple(
      fuzzedBodies(validPatch, options),
      fc.oneof(
        { weight: 19, arbitrary: fc.constantFrom(...SEEDED) },
        { weight: 1, arbitrary: fc.constantFrom('no such id!', 'x'.repeat(65), 'ü') },
      ),
    )
    .map(([body, id]) => ({ method: 'PATCH' as const, path: `/users/${encodeURIComponent(id)}`, id, body })),
);

interface Request {
  readonly method: 'POST' | 'PATCH';
  readonly path: string;
  readonly id: string | undefined;
  readonly body: FuzzBody;
}

describe('the user API of the legacy monolith under fuzzed bodies (fast-check)', () => {
  let sut: ServiceUnderTest<LegacyMonolithConfig>;
  let send: ReturnType<typeof injector>;
  let check: ReturnType<typeof apiAnswerCheck>;
  let serial = 0;
  const created = new Map<string, unknown>();
  const taken = new Set<string>();
  const tally = { sent: 0, byStatus: new Map<number, number>() };
  const started = Date.now();

  const prepared = (request: Request): Request => {
    const n = String(serial++).padStart(SLOT.length, '0');
    return { ...request, body: { ...request.body, payload: request.body.payload.split(SLOT).join(n) } };
  };
  const parsedBody = (request: Request): unknown => (request.body.payload.length === 0 ? undefined : JSON.parse(request.body.payload));

  /** What the service must answer: the platform's verdict on the bytes, else its own validation. */
  function expected(request: Request): number {
    if (request.body.expect !== 'validate') return request.body.expect;
    if (request.method === 'POST') return parseCreateUser(parsedBody(request)).ok ? 201 : 400;
    return isUserId(request.id ?? '') && parseUserPatch(parsedBody(request)).ok ? 200 : 400;
  }

  /** The unique values (id, lower-case email) a request that will be accepted takes. */
  function uniqueValues(request: Request): string[] {
    if (request.method === 'POST') {
      const parsed = parseCreateUser(parsedBody(request));
      return parsed.ok ? [`email:${parsed.value.email}`, ...(parsed.value.id ? [`id:${parsed.value.id}`] : [])] : [];
    }
    const parsed = parseUserPatch(parsedBody(request));
    return parsed.ok && parsed.value.email !== undefined ? [`email:${parsed.value.email}`] : [];
  }

  const call = (request: Request): Promise<InjectedAnswer> =>
    send({
      method: request.method,
      url: request.path,
      headers: request.body.contentType === undefined ? {} : { 'content-type': request.body.contentType },
      payload: request.body.payload,
    });

  async function sendBatch(batch: readonly Request[], allowed: readonly number[]): Promise<string[]> {
    const answers = await inParallel(batch, CONCURRENCY, call);
    const problems: string[] = [];
    answers.forEach((answer, index) => {
      const request = batch[index] as Request;
      const want = expected(request);
      tally.sent++;
      tally.byStatus.set(answer.status, (tally.byStatus.get(answer.status) ?? 0) + 1);
      const wrong: string[] = [];
      const route = request.method === 'POST' ? '/users' : '/users/{id}';
      if (!allowed.includes(answer.status)) wrong.push(`status ${answer.status} is not one of ${allowed.join(', ')}`);
      if (answer.status !== want) wrong.push(`expected ${want}, got ${answer.status}`);
      if (answer.status >= 400 && answer.status < 500) wrong.push(...errorBodyProblems(answer.status, answer.body));
      wrong.push(...check(request.method, route, answer.status, answer.body));
      if (answer.status === 201 || answer.status === 200) {
        const user = userRecordSchema.safeParse(answer.body);
        if (!user.success) wrong.push('the answer is not a user record');
        const sent = request.method === 'POST' ? parseCreateUser(parsedBody(request)) : parseUserPatch(parsedBody(request));
        if (sent.ok && user.success) {
          for (const [field, value] of Object.entries(sent.value)) {
            if (value !== undefined && (user.data as Record<string, unknown>)[field] !== value) wrong.push(`${field} is not what was sent`);
          }
          if (request.method === 'POST') created.set(user.data.id, answer.body);
        }
      }
      if (wrong.length > 0)
        problems.push(
          `${request.method} ${request.path} ${describeBody(request.body)}: ${wrong.join('; ')} — ${answer.text.slice(0, 300)}`,
        );
    });
    return problems;
  }

  const failure = (problems: readonly string[]) =>
    new Error(`seed ${SEED} (replay: FUZZ_SEED=${SEED}): ${problems.length} wrong answer(s):\n${problems.slice(0, 10).join('\n')}`);

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: 'legacy-monolith',
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      kafka: false,
    });
    send = injector(sut.app);
    check = apiAnswerCheck(JSON.parse(committedApiDocument('legacy-monolith')) as ApiDocument);
    for (const id of SEEDED) {
      const answer = await send({
        method: 'POST',
        url: '/users',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ id, email: `${id}@example.com`, name: `Seed ${id}`, country: 'DE', region: 'europe' }),
      });
      expect(answer.status).toBe(201);
    }
  });

  afterAll(async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
    process.stdout.write(`users API fuzz (seed ${SEED}): ${tally.sent} bodies in ${seconds} s; ${statuses.join(', ')}\n`);
    await sut?.stop();
  });

  it('answers valid and mutated creates and patches with 201 / 200 / 400 / 413 / 415 as its validation predicts; every user is real', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requests, { minLength: BATCH, maxLength: BATCH }), async (generated) => {
        const batch = generated.map(prepared).filter((request) => {
          // A value another accepted request took would be a 409: keep the first.
          if (expected(request) >= 400) return true;
          const values = uniqueValues(request);
          if (values.some((value) => taken.has(value))) return false;
          for (const value of values) taken.add(value);
          return true;
        });
        const problems = await sendBatch(batch, [200, 201, 400, 413, 415]);
        if (problems.length > 0) throw failure(problems);
      }),
      { seed: SEED, numRuns: MIXED_BATCHES, endOnFailure: true },
    );
    expect(created.size).toBeGreaterThan(MIXED_BATCHES * 5);
    const tables = await tableFingerprints(sut.database.url);
    expect(tables['users']?.rows).toBe(SEEDED.length + created.size);
    // Nobody patches a created user: each reads back as it was created.
    const unreal = (
      await inParallel([...created], CONCURRENCY, async ([id, body]) => {
        const answer = await send({ method: 'GET', url: `/users/${encodeURIComponent(id)}` });
        return answer.status === 200 && JSON.stringify(answer.body) === JSON.stringify(body)
          ? undefined
          : `${id}: ${answer.status} ${answer.text}`;
      })
    ).filter((problem) => problem !== undefined);
    if (unreal.length > 0) throw failure(unreal);
  });

  it('writes nothing for bodies it must refuse (400 / 413 / 415)', async () => {
    const before = await tableFingerprints(sut.database.url);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          requests.filter((request) => request.body.mutation !== 'valid'),
          { minLength: BATCH, maxLength: BATCH },
        ),
        async (generated) => {
          const batch = generated.map(prepared).filter((request) => expected(request) >= 400);
          refused += batch.length;
          const atStart = await tableFingerprints(sut.database.url);
          const problems = await sendBatch(batch, [400, 413, 415]);
          if (problems.length > 0) throw failure(problems);
          expect(await tableFingerprints(sut.database.url)).toEqual(atStart);
        },
      ),
      { seed: SEED + 1, numRuns: REFUSED_BATCHES, endOnFailure: true },
    );
    expect(refused).toBeGreaterThan(REFUSED_BATCHES * BATCH * 0.6);
    expect(await tableFingerprints(sut.database.url)).toEqual(before);
  });
});
