/**
 * The monolith mode's user phase against the real legacy monolith, spawned as its own process (an app may
 * not import another app) on a fresh database. No Kafka, no CDC: only the user phase (creates, changes,
 * re-run), checked against the monolith's `GET /users`; the topic wait is not part of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, freePort, type TestDatabase } from '@shop/testing';
import { monolithUserPlan } from './domain/monolith-users';
import { buildScenario } from './domain/scenario';
import { runMonolithUserPhase } from './runner/monolith-users';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

describe('load generator, USERS_VIA=monolith: the user phase against the legacy monolith', () => {
  let database: TestDatabase;
  let monolith: ChildProcess;
  let output = '';
  let baseUrl = '';

  beforeAll(async () => {
    database = await createTestDatabase('lg_monolith', { ownRole: true });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    monolith = spawn(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, 'apps/legacy-monolith/src/main.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
        DATABASE_URL: database.url,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    monolith.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    monolith.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (monolith.exitCode !== null) throw new Error(`the monolith exited (${monolith.exitCode}):\n${output.slice(-3000)}`);
      const ok = await fetch(`${baseUrl}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the monolith was not healthy within 90 s:\n${output.slice(-3000)}`);
      await sleep(300);
    }
  }, 120_000);

  afterAll(async () => {
    if (monolith && monolith.exitCode === null) {
      const exited = new Promise((resolve) => monolith.once('exit', resolve));
      monolith.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (monolith.exitCode === null) monolith.kill('SIGKILL');
    }
    await database?.drop();
  }, 60_000);

  async function allUsers(): Promise<Map<string, Record<string, unknown>>> {
    const users = new Map<string, Record<string, unknown>>();
    for (let offset = 0; ; offset += 200) {
      const response = await fetch(`${baseUrl}/users?limit=200&offset=${offset}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { total: number; items: Record<string, unknown>[] };
      for (const item of page.items) users.set(String(item['id']), item);
      if (offset + 200 >= page.total) return users;
    }
  }

  it('creates the scenario users with their ids, applies the changes, and a re-run is a no-op success', async () => {
    const scenario = buildScenario({ seed: 11, users: 60, orders: 300 });
    const { users, changes } = monolithUserPlan(scenario);
    const updates = changes.filter((c) => c.kind === 'update').length;
    const deletes = changes.filter((c) => c.kind === 'delete').length;
    expect(deletes).toBeGreaterThan(0);

    const first = await runMonolithUserPhase({ monolithUrl: baseUrl, users: users, changes, concurrency: 4 });
    expect(first.problems).toEqual([]);
    expect(first).toMatchObject({ created: users.length, alreadyThere: 0, updated: updates, deleted: deletes });

    const stored = await allUsers();
    expect(stored.size).toBe(users.length - deletes);
    for (const [id, want] of first.expected) {
      if (want === null) expect(stored.has(id)).toBe(false);
      else expect(stored.get(id)).toMatchObject({ ...want });
    }

    // Same seed again: the kept users answer 409 and match, the deleted ones are created and deleted again.
    const again = await runMonolithUserPhase({ monolithUrl: baseUrl, users: users, changes, concurrency: 4 });
    expect(again.problems).toEqual([]);
    expect(again).toMatchObject({ created: deletes, alreadyThere: users.length - deletes, updated: updates, deleted: deletes });
    expect((await allUsers()).size).toBe(users.length - deletes);
  }, 120_000);

  it('reports a user that conflicts with another one (same e-mail, other id) as a problem', async () => {
    const scenario = buildScenario({ seed: 11, users: 60, orders: 300 });
    const original = scenario.users.find((u) => scenario.orders.some((o) => o.body.userId === u.id)); // never deleted
    if (!original) throw new Error('no user');
    const impostor = { ...original, id: `${original.id.slice(0, 20)}-other` };
    await runMonolithUserPhase({ monolithUrl: baseUrl, users: [original], changes: [] }); // there (201 or a matching 409)
    const result = await runMonolithUserPhase({ monolithUrl: baseUrl, users: [impostor], changes: [] });
    expect(result.created).toBe(0);
    expect(result.problems.join('\n')).toContain('409 on create');
  }, 60_000);
});
