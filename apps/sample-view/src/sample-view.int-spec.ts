import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import type { Admin, EventProducer } from '@shop/kafka';
import { startServiceUnderTest, uniqueName, waitUntil, type ServiceUnderTest } from '@shop/testing';
import { AppModule } from './app.module';
import { loadConfig, type SampleViewConfig } from './config/config';

/**
 * The whole service against the harness's real broker and a fresh PostgreSQL database: boots the Nest
 * app as main.ts does, produces users as CDC would, and checks what HTTP clients see.
 */
describe('sample-view over HTTP', () => {
  const prefix = `${uniqueName('sv')}_`;
  const users = withTopicPrefix(Topics.users, prefix);
  let baseUrl: string;
  let admin: Admin;
  let producer: EventProducer;

  const user = (id: string, name: string, overrides: Partial<UserRecord> = {}): UserRecord => ({
    id,
    email: `${id}@example.com`,
    name,
    status: 'active',
    country: 'DE',
    region: 'europe',
    address_line1: '1 Hauptstraße',
    city: 'Berlin',
    postal_code: '10115',
    created_at: '2026-11-25T10:00:00.000000Z',
    updated_at: '2026-11-25T10:00:00.000000Z',
    ...overrides,
  });

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const healthy = async () => ((await get('/health')).status === 200 ? true : undefined);
  const allUsers = async () => (await get('/users?limit=200')).body;

  let sut: ServiceUnderTest<SampleViewConfig>;

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: 'sample-view',
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
    });
    ({ baseUrl } = sut);
    ({ admin, producer } = sut.kafka);
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('provisions its topic at start and reports healthy on an empty log', async () => {
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([users.name, `${users.name}.dlq`]));
    await waitUntil(healthy, { description: '/health to answer 200', timeoutMs: 30_000 });
    const { body } = await get('/health');
    expect(body).toMatchObject({
      status: 'ok',
      checks: {
        kafka: { status: 'up' },
        database: { status: 'up' },
        views: [{ view: 'users', topic: users.name, status: 'caught-up', lag: 0 }],
      },
    });
  });

  it('serves a produced user, applies its update and answers 404 after its tombstone', async () => {
    await producer.send(users, [
      { key: 'u-1', value: user('u-1', 'Ada') },
      { key: 'u-2', value: user('u-2', 'Grace', { country: 'US', region: 'north-america', city: 'New York' }) },
    ]);
    const ada = await waitUntil(
      async () => {
        const response = await get('/users/u-1');
        return response.status === 200 ? response.body : undefined;
      },
      { description: 'user u-1 to appear', timeoutMs: 30_000 },
    );
    expect(ada).toEqual({
      id: 'u-1',
      email: 'u-1@example.com',
      name: 'Ada',
      status: 'active',
      country: 'DE',
      region: 'europe',
      address: { line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115' },
      createdAt: '2026-11-25T10:00:00.000Z',
      updatedAt: '2026-11-25T10:00:00.000Z',
    });

    await producer.send(users, [
      { key: 'u-1', value: user('u-1', 'Ada Lovelace', { country: 'GB', city: 'London', updated_at: '2026-11-25T11:00:00.000000Z' }) },
    ]);
    const moved = await waitUntil(
      async () => {
        const { body } = await get('/users/u-1');
        return body['name'] === 'Ada Lovelace' ? body : undefined;
      },
      { description: 'the update of u-1 to be applied', timeoutMs: 30_000 },
    );
    expect(moved).toMatchObject({ country: 'GB', address: { city: 'London' }, updatedAt: '2026-11-25T11:00:00.000Z' });

    await waitUntil(async () => (await get('/users/u-2')).status === 200, { description: 'user u-2 to appear', timeoutMs: 30_000 });
    await producer.send(users, [{ key: 'u-2', value: null }]);
    const gone = await waitUntil(
      async () => {
        const response = await get('/users/u-2');
        return response.status === 404 ? response.body : undefined;
      },
      { description: 'u-2 to be removed by its tombstone', timeoutMs: 30_000 },
    );
    expect(gone['message']).toMatch(/user "u-2" is not in the users view/);
    const invalid = await get(`/users/${encodeURIComponent('no such id!')}`);
    expect(invalid).toEqual({ status: 400, body: expect.objectContaining({ message: expect.stringMatching(/is not a user id/) }) });
  });

  it('pages the listing with a total count and rejects bad paging', async () => {
    await producer.send(
      users,
      Array.from({ length: 25 }, (_, i) => ({
        key: `p-${String(i).padStart(2, '0')}`,
        value: user(`p-${String(i).padStart(2, '0')}`, `Paged ${i}`),
      })),
    );
    await waitUntil(healthy, { description: 'the view to catch up with 25 more users', timeoutMs: 30_000 });
    const first = await get('/users?limit=10&offset=0');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 26, limit: 10, offset: 0 });
    const ids = (first.body['items'] as { id: string }[]).map((u) => u.id);
    expect(ids).toEqual(['p-00', 'p-01', 'p-02', 'p-03', 'p-04', 'p-05', 'p-06', 'p-07', 'p-08', 'p-09']);
    const last = await get('/users?limit=10&offset=20');
    expect((last.body['items'] as { id: string }[]).map((u) => u.id)).toEqual(['p-20', 'p-21', 'p-22', 'p-23', 'p-24', 'u-1']);

    const bad = await get('/users?limit=0&offset=x');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'limit must be at least 1; offset must be a whole number',
      reasons: ['limit must be at least 1', 'offset must be a whole number'],
    });
  });

  it('reports its lag per partition on /health', async () => {
    const { status, body } = await get('/health');
    expect(status).toBe(200);
    const [view] = (
      body['checks'] as { views: { partitions: { partition: number; lag: number; nextOffset: number; highWatermark: number }[] }[] }
    ).views;
    expect(view?.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of view?.partitions ?? []) {
      expect(p.lag).toBe(0);
      expect(p.nextOffset).toBe(p.highWatermark);
    }
    expect(view?.partitions.reduce((sum, p) => sum + p.highWatermark, 0)).toBe(2 + 1 + 1 + 25);
  });

  it('keeps /admin/* closed without its bearer token (401, nothing rebuilt) while the read API stays open', async () => {
    const rebuild = (headers: Record<string, string>) => fetch(`${baseUrl}/admin/rebuild`, { method: 'POST', headers });
    for (const [headers, message] of [
      [{}, 'send Authorization: Bearer <ADMIN_TOKEN>'],
      [{ authorization: `Basic ${Buffer.from(`admin:${sut.adminToken}`).toString('base64')}` }, 'send Authorization: Bearer <ADMIN_TOKEN>'],
      [{ authorization: `Bearer ${sut.adminToken}-not` }, 'wrong admin token'],
    ] as const) {
      const response = await rebuild(headers);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message, reasons: [message] },
      });
    }
    const letters = await fetch(`${baseUrl}/admin/views/users/dead-letters`);
    expect(letters.status).toBe(401);
    expect((await get('/health')).status).toBe(200);
    expect(await allUsers()).toMatchObject({ total: 26 });
  });

  it('rebuilds the view from the log into the same listing', async () => {
    const before = await allUsers();
    expect(before['total']).toBe(26);

    const response = await fetch(`${baseUrl}/admin/rebuild`, { method: 'POST', headers: sut.adminHeaders });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'rebuilding', views: ['users'] });

    await waitUntil(healthy, { description: 'the rebuilt view to catch up', timeoutMs: 60_000 });
    expect(await allUsers()).toEqual(before);
  });
});
