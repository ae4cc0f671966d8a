import { DlqExit, runDlq } from './dlq-cli';

/** The command line without a broker: usage, configuration and the HTTP answers of replay (a stub fetch). */
describe('npm run dlq', () => {
  const run = async (argv: string[], options: { env?: Record<string, string>; fetch?: typeof fetch } = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await runDlq(argv, {
      env: options.env ?? {},
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return { code, stdout, stderr };
  };
  const answering = (status: number, body: unknown): { fetch: typeof fetch; calls: string[] } => {
    const calls: string[] = [];
    const stub = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${String(url)}`);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return { fetch: stub, calls };
  };

  it('prints the usage for help, and with exit 2 for a bad command line', async () => {
    expect(await run(['help'])).toMatchObject({ code: DlqExit.ok, stdout: expect.stringContaining('usage: npm run dlq') });
    const bad = await run(['list']);
    expect(bad).toMatchObject({ code: DlqExit.usage, stdout: '' });
    expect(bad.stderr).toMatch(/^dlq: list takes <topic> \(got nothing\)\n\nusage: /);
  });

  it('lists every bad variable, with exit 78 as the services', async () => {
    const result = await run(['list', 'orders'], { env: { KAFKA_BROKERS: 'nope', TOPIC_PREFIX: 'has space' } });
    expect(result.code).toBe(DlqExit.config);
    expect(result.stderr).toContain('KAFKA_BROKERS each broker must be host:port (got "nope")');
    expect(result.stderr).toContain('TOPIC_PREFIX may only contain letters, digits, ".", "_" and "-" (got "has space")');
  });

  it("posts to the service's admin endpoint and prints the report", async () => {
    const report = {
      view: 'shipments',
      topic: 'order-validations.dlq',
      applied: 2,
      stillFailing: 0,
      otherConsumers: 0,
      alreadyReplayed: 0,
      complete: true,
      failures: [],
    };
    const http = answering(200, report);
    const result = await run(['replay', 'shipments', '--service', 'shipping'], {
      env: { SERVICE_HOST: 'ship.internal' },
      fetch: http.fetch,
    });
    expect(http.calls).toEqual(['POST http://ship.internal:3002/admin/views/shipments/dead-letters/replay']);
    expect(result).toMatchObject({ code: DlqExit.ok, stderr: '' });
    expect(result.stdout).toMatch(/^shipping: view shipments, dead letters of order-validations.dlq\n {2}applied {11}2\n/);
    const json = await run(['replay', 'shipping.shipments', '--json'], { fetch: answering(200, report).fetch });
    expect(JSON.parse(json.stdout)).toEqual(report);
    const stopped = await run(['replay', 'shipping.shipments'], { fetch: answering(200, { ...report, complete: false }).fetch });
    expect(stopped.code).toBe(DlqExit.failed);
  });

  it.each([
    [
      409,
      'a rebuild is running: replay the dead letters once it is over',
      /\(409 Conflict\): a rebuild is running.* \(try again once it is over\)$/,
    ],
    [
      422,
      'view users keeps the latest record per key of users: …; rebuild the view instead',
      /\(422 Unprocessable Entity\): view users keeps/,
    ],
    [404, 'no view named "nope" (known: users, shipments)', /\(404 Not Found\): no view named "nope" \(known: users, shipments\)$/],
    [
      503,
      'replay … interrupted: connection refused (applied 1, still failing 0 before that)',
      /\(503 Service Unavailable\): replay … interrupted.*replay again once/,
    ],
  ])('exits 1 with the reason when the service answers %i', async (status, message, shown) => {
    const http = answering(status, { statusCode: status, message, error: 'x' });
    const result = await run(['replay', 'shipping.shipments'], { fetch: http.fetch });
    expect(result.code).toBe(DlqExit.failed);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toMatch(/^dlq: replay of view shipments refused by shipping /);
    expect(result.stderr.trim()).toMatch(shown);
  });

  it('says so, without a stack, when the service does not answer', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3002'), { code: 'ECONNREFUSED' }),
      });
    }) as typeof fetch;
    const result = await run(['replay', 'shipments', '--service', 'shipping'], { fetch: refused });
    expect(result).toEqual({
      code: DlqExit.failed,
      stdout: '',
      stderr: 'dlq: cannot reach shipping at http://127.0.0.1:3002 (ECONNREFUSED): is it running? (--url for another address)\n',
    });
  });
});
