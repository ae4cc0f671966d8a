import { Client } from 'pg';
import { userRecordSchema } from '@shop/contracts';
import { committedApiDocument } from '@shop/nest-platform';
import { apiAnswerCheck, startServiceUnderTest, type ApiDocument, type ServiceUnderTest } from '@shop/testing';
import { AppModule } from './app.module';
import { loadConfig, type LegacyMonolithConfig } from './config/config';

/**
 * The whole monolith against a fresh PostgreSQL database (no Kafka): boots the Nest app as main.ts does
 * (migrations at start), drives every endpoint and every 4xx over real HTTP, and reads the rows back raw to
 * prove they are exactly what CDC will publish on the `users` topic.
 */
describe('legacy-monolith over HTTP', () => {
  let sql: Client;
  let baseUrl: string;

  type Reply = { status: number; body: Record<string, unknown> | null };
  /** Every answer of the tests, checked against the API document at the end. */
  const answers: { method: string; path: string; reply: Reply }[] = [];
  const call = async (method: string, path: string, body?: unknown, raw?: string, contentType = 'application/json'): Promise<Reply> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body !== undefined || raw !== undefined ? { 'content-type': contentType } : {},
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    const reply = { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    answers.push({ method, path, reply });
    return reply;
  };
  /** Everything in the table, as Debezium would see it: the row rendered by PostgreSQL itself. */
  const rawRows = async () =>
    (await sql.query<{ row: unknown }>('SELECT to_json(u) AS row FROM users u ORDER BY created_at, id')).rows.map((r) => r.row);
  const rawRow = async (id: string) =>
    (await sql.query<{ row: Record<string, unknown> }>('SELECT to_json(u) AS row FROM users u WHERE id = $1', [id])).rows[0]?.row;
  const rowCount = async () => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n);
  /** A 4xx that leaves the table exactly as it was. */
  const expectNothingWritten = async (work: () => Promise<Reply>, status: number): Promise<Reply> => {
    const before = await rawRows();
    const reply = await work();
    expect(reply.status).toBe(status);
    expect(await rawRows()).toEqual(before);
    return reply;
  };

  const ada = {
    email: 'Ada@Example.com',
    name: 'Ada Lovelace',
    country: 'GB',
    region: 'europe',
    address_line1: '12 St James Sq',
    city: 'London',
    postal_code: 'SW1Y 4JH',
  };

  let sut: ServiceUnderTest<LegacyMonolithConfig>;

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: 'legacy-monolith',
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      kafka: false,
    });
    ({ baseUrl } = sut);
    sql = new Client({ connectionString: sut.database.url });
    await sql.connect();
    // Like any client of the database (Debezium included), whatever its session time zone.
    await sql.query(`SET TIME ZONE 'Asia/Kolkata'`);
  });

  afterAll(async () => {
    await sql?.end();
    await sut?.stop();
  });

  it('migrated the database at start and reports healthy', async () => {
    expect(await call('GET', '/health')).toEqual({
      status: 200,
      body: { status: 'ok', checks: { database: { status: 'up', ms: expect.any(Number) } } },
    });
    const columns = await sql.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'users' ORDER BY column_name`,
    );
    expect(columns.rows.map((c) => c.column_name).sort()).toEqual(Object.keys(userRecordSchema.shape).sort());
    expect(columns.rows.filter((c) => c.column_name.endsWith('_at')).map((c) => c.data_type)).toEqual([
      'timestamp with time zone',
      'timestamp with time zone',
    ]);
    const identity = await sql.query<{ relreplident: string }>(`SELECT relreplident FROM pg_class WHERE relname = 'users'`);
    expect(identity.rows[0]?.relreplident).toBe('d'); // REPLICA IDENTITY DEFAULT: the primary key
  });

  let adaId: string;

  it('POST /users creates a user (201), with a generated UUID, defaults and timestamps', async () => {
    const before = Date.now();
    const created = await call('POST', '/users', ada);
    expect(created).toEqual({
      status: 201,
      body: {
        ...ada,
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        email: 'ada@example.com',
        status: 'active',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    });
    const body = created.body as Record<string, string>;
    adaId = body['id'] as string;
    expect(body['updated_at']).toBe(body['created_at']);
    expect(Date.parse(body['created_at'] as string)).toBeGreaterThanOrEqual(before - 1);
    expect(await call('GET', `/users/${adaId}`)).toEqual({ status: 200, body });
  });

  it('stores rows the users topic contract accepts, timestamps round-tripping (the CDC format)', async () => {
    const api = (await call('GET', `/users/${adaId}`)).body as Record<string, string>;
    const row = await rawRow(adaId);
    const parsed = userRecordSchema.safeParse(row);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(row?.['created_at']).toMatch(/\+05:30$/); // an offset, as the contract allows
    expect(Date.parse(row?.['created_at'] as string)).toBe(Date.parse(api['created_at'] as string));
    expect(Date.parse(row?.['updated_at'] as string)).toBe(Date.parse(api['updated_at'] as string));
    // The same values in UTC with microseconds, as Debezium renders timestamptz.
    const utc = await sql.query<{ created: string }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created FROM users WHERE id = $1`,
      [adaId],
    );
    const debeziumStyle = utc.rows[0]?.created as string;
    expect(userRecordSchema.shape.created_at.safeParse(debeziumStyle).success).toBe(true);
    expect(Date.parse(debeziumStyle)).toBe(Date.parse(api['created_at'] as string));
    expect({ ...row, created_at: api['created_at'], updated_at: api['updated_at'] }).toEqual(api);
  });

  it('POST /users keeps a client id and optional fields; 409 on a duplicate e-mail (any case) or id', async () => {
    const grace = await call('POST', '/users', {
      id: 'u-grace',
      email: 'grace@example.com',
      name: 'Grace',
      country: 'US',
      region: 'north-america',
      status: 'suspended',
    });
    expect(grace).toMatchObject({
      status: 201,
      body: { id: 'u-grace', status: 'suspended', address_line1: null, city: null, postal_code: null },
    });

    const dupEmail = await expectNothingWritten(() => call('POST', '/users', { ...ada, email: 'ADA@example.COM' }), 409);
    expect(dupEmail.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'another user already has this email',
      reasons: ['email: another user already has this email'],
    });
    const dupId = await expectNothingWritten(() => call('POST', '/users', { ...ada, id: 'u-grace', email: 'other@example.com' }), 409);
    expect(dupId.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'another user already has this id',
      reasons: ['id: another user already has this id'],
    });
  });

  it('POST /users answers 400 with every reason and writes nothing', async () => {
    const bad = await expectNothingWritten(
      () =>
        call('POST', '/users', {
          email: 'not-an-email',
          name: '',
          country: 'Germany',
          region: 'x'.repeat(51),
          status: 'deleted',
          id: 'no spaces',
          nickname: 'x',
          created_at: '2020-01-01T00:00:00Z',
        }),
      400,
    );
    expect(bad.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'invalid user', reasons: expect.any(Array) });
    const reasons = (bad.body?.['reasons'] as string[]).join('\n');
    for (const field of ['id', 'email', 'name', 'status', 'country', 'region']) expect(reasons).toMatch(new RegExp(`^${field}: `, 'm'));
    expect(reasons).toMatch(/unknown field\(s\) "nickname", "created_at"/);

    const malformed = await expectNothingWritten(() => call('POST', '/users', undefined, '{"email": "a@b.co",'), 400);
    expect(malformed.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the body is not valid JSON',
      reasons: [expect.stringMatching(/^\(body\): not valid JSON/)],
    });
    const notAnObject = await expectNothingWritten(() => call('POST', '/users', [ada]), 400);
    expect(notAnObject.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'invalid user',
      reasons: [expect.stringMatching(/^\(body\): /)],
    });
    const noBody = await expectNothingWritten(() => call('POST', '/users'), 400);
    expect(noBody.body?.['message']).toBe('invalid user');
    // A body that is not JSON is refused before it is read, whatever it holds.
    await expectNothingWritten(() => call('POST', '/users', undefined, JSON.stringify(ada), 'text/plain'), 415);
    await expectNothingWritten(() => call('POST', '/users', undefined, 'email=a%40b.co', 'application/x-www-form-urlencoded'), 415);
  });

  it('GET /users lists with total, limit and offset in creation order; 400 on bad paging', async () => {
    expect(await call('GET', '/users')).toEqual({
      status: 200,
      body: { total: 2, limit: 20, offset: 0, items: [expect.objectContaining({ id: adaId }), expect.objectContaining({ id: 'u-grace' })] },
    });
    expect(await call('GET', '/users?limit=1&offset=1')).toEqual({
      status: 200,
      body: { total: 2, limit: 1, offset: 1, items: [expect.objectContaining({ id: 'u-grace' })] },
    });
    expect(await call('GET', '/users?limit=0&offset=x')).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'invalid user',
        reasons: ['limit must be at least 1', 'offset must be a whole number'],
      },
    });
  });

  it('GET /users/:id answers 404 for an unknown user and 400 for an impossible id', async () => {
    expect(await call('GET', '/users/nobody')).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'user "nobody" does not exist', reasons: ['user "nobody" does not exist'] },
    });
    expect((await call('GET', `/users/${'x'.repeat(65)}`)).status).toBe(400);
  });

  it('PATCH /users/:id merges a partial update and moves updated_at (not created_at)', async () => {
    const before = (await call('GET', `/users/${adaId}`)).body as Record<string, string>;
    const patched = await call('PATCH', `/users/${adaId}`, {
      name: 'Augusta Ada King',
      city: null,
      postal_code: null,
      address_line1: null,
      status: 'suspended',
    });
    expect(patched).toEqual({
      status: 200,
      body: {
        ...before,
        name: 'Augusta Ada King',
        city: null,
        postal_code: null,
        address_line1: null,
        status: 'suspended',
        updated_at: expect.any(String),
      },
    });
    const after = patched.body as Record<string, string>;
    expect(Date.parse(after['updated_at'] as string)).toBeGreaterThan(Date.parse(before['updated_at'] as string));
    expect(after['created_at']).toBe(before['created_at']);
    expect(await call('GET', `/users/${adaId}`)).toEqual({ status: 200, body: after });
    const row = await rawRow(adaId);
    expect(userRecordSchema.safeParse(row).success).toBe(true);
    expect(Date.parse(row?.['updated_at'] as string)).toBe(Date.parse(after['updated_at'] as string));

    // A patch that changes nothing writes nothing (no CDC event): same updated_at.
    const same = await expectNothingWritten(() => call('PATCH', `/users/${adaId}`, { name: 'Augusta Ada King' }), 200);
    expect(same.body).toEqual(after);

    // Every update is visible: back-to-back updates each move updated_at forward.
    const stamps: number[] = [];
    for (const name of ['A', 'B', 'C'])
      stamps.push(Date.parse(((await call('PATCH', `/users/${adaId}`, { name })).body as Record<string, string>)['updated_at'] as string));
    expect(stamps[1]).toBeGreaterThan(stamps[0] as number);
    expect(stamps[2]).toBeGreaterThan(stamps[1] as number);
  });

  it('PATCH /users/:id: 400 with every reason, 404, 409, malformed JSON; nothing written', async () => {
    const bad = await expectNothingWritten(
      () => call('PATCH', `/users/${adaId}`, { email: 'x', country: 'gb', name: null, id: 'new-id' }),
      400,
    );
    const reasons = bad.body?.['reasons'] as string[];
    expect(reasons).toHaveLength(4);
    expect(reasons.join('\n')).toMatch(/^email: .*\n^name: .*\n^country: .*\n.*unknown field\(s\) "id"/m);
    const empty = await expectNothingWritten(() => call('PATCH', `/users/${adaId}`, {}), 400);
    expect(empty.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'invalid user',
      reasons: ['(body): at least one field to change is required'],
    });
    await expectNothingWritten(() => call('PATCH', `/users/${adaId}`, undefined, 'name=x'), 400);
    await expectNothingWritten(() => call('PATCH', '/users/nobody', { name: 'Nobody' }), 404);
    await expectNothingWritten(() => call('PATCH', `/users/${'x'.repeat(65)}`, { name: 'Nobody' }), 400);
    const dup = await expectNothingWritten(() => call('PATCH', `/users/${adaId}`, { email: 'Grace@example.com' }), 409);
    expect(dup.body).toMatchObject({ statusCode: 409, error: 'Conflict', reasons: ['email: another user already has this email'] });
    await expectNothingWritten(() => call('PATCH', `/users/${adaId}`, undefined, '{"name":"X"}', 'text/plain'), 415);
  });

  it('DELETE /users/:id answers 204, then 404; the row is gone', async () => {
    expect(await rowCount()).toBe(2);
    expect(await call('DELETE', `/users/${adaId}`)).toEqual({ status: 204, body: null });
    expect(await rowCount()).toBe(1);
    expect(await rawRow(adaId)).toBeUndefined();
    expect((await call('GET', `/users/${adaId}`)).status).toBe(404);
    await expectNothingWritten(() => call('DELETE', `/users/${adaId}`), 404);
    await expectNothingWritten(() => call('DELETE', `/users/${'x'.repeat(65)}`), 400);
    expect((await call('GET', '/users')).body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: 'u-grace' })] });
  });

  it('answered every request above, and a body too large or not JSON, as docs/openapi/legacy-monolith.json documents', async () => {
    const tooLarge = { ...ada, name: 'x'.repeat(200_000) };
    expect((await call('POST', '/users', tooLarge)).status).toBe(413);
    expect((await call('PATCH', '/users/u-grace', tooLarge)).status).toBe(413);
    expect((await call('POST', '/users', undefined, '<user/>', 'application/xml')).status).toBe(415);
    expect((await call('PATCH', '/users/u-grace', undefined, '<user/>', 'application/xml')).status).toBe(415);
    // application/*+json is JSON (RFC 6839): a merge patch as application/merge-patch+json.
    expect(await call('PATCH', '/users/u-grace', undefined, '{"name":"Grace Hopper"}', 'application/merge-patch+json')).toMatchObject({
      status: 200,
      body: { id: 'u-grace', name: 'Grace Hopper' },
    });
    const check = apiAnswerCheck(JSON.parse(committedApiDocument('legacy-monolith')) as ApiDocument);
    const route = (path: string) => path.split('?')[0]?.replace(/^\/users\/.+$/, '/users/{id}') ?? path;
    const statuses = new Set<string>();
    for (const { method, path, reply } of answers) {
      statuses.add(`${method} ${route(path)} ${reply.status}`);
      if (reply.status === 204) expect(reply.body).toBeNull();
      else expect(check(method, route(path), reply.status, reply.body)).toEqual([]);
    }
    // Between them, the tests met every status the document lists for the users API (500 aside).
    expect([...statuses].sort()).toEqual([
      'DELETE /users/{id} 204',
      'DELETE /users/{id} 400',
      'DELETE /users/{id} 404',
      'GET /health 200',
      'GET /users 200',
      'GET /users 400',
      'GET /users/{id} 200',
      'GET /users/{id} 400',
      'GET /users/{id} 404',
      'PATCH /users/{id} 200',
      'PATCH /users/{id} 400',
      'PATCH /users/{id} 404',
      'PATCH /users/{id} 409',
      'PATCH /users/{id} 413',
      'PATCH /users/{id} 415',
      'POST /users 201',
      'POST /users 400',
      'POST /users 409',
      'POST /users 413',
      'POST /users 415',
    ]);
  });

  it('every row left is a valid UserRecord', async () => {
    for (const row of await rawRows()) expect(userRecordSchema.safeParse(row).success).toBe(true);
  });
});
