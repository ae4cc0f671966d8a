import { requestJson } from './harness/http';
import { localConnectionInfo, localEnsure, localKill, type LocalComponent } from './harness/local-infra';
import { runLoadAgainst, type LoadRun } from './harness/load';
import { readOracle, type OracleFile } from './harness/oracle-file';
import { SERVICES, SystemUnderTest, type ServiceName } from './harness/system';
import { numberEnv } from './harness/env';
import { NO_DIFFERENCES, viewsAgainstOracle } from './harness/oracle-checks';

/**
 * Faults under a seeded load, the small version that runs in `npm test`: while the load generator sends
 * orders through the front door, each service is SIGKILLed and started again (as a supervisor would), then
 * PostgreSQL and the broker are SIGKILLed and restarted (local infra only). No service may exit by itself,
 * every order must be accepted (the client retries with its Idempotency-Key), and every view must end equal
 * to the oracle. Then order-validation is killed between its outbox write and the produce (FAILPOINT): the
 * order must be published after the restart. Prints a table of recovery times.
 *
 * CHAOS_SEED (11), CHAOS_USERS (150), CHAOS_ORDERS (2400), CHAOS_RATE (40/s), CHAOS_KILLS (kills per service, 1),
 * CHAOS_INFRA=0 skips the PostgreSQL and broker faults.
 */
const SEED = numberEnv('CHAOS_SEED', 11);
const USERS = numberEnv('CHAOS_USERS', 150);
const ORDERS = numberEnv('CHAOS_ORDERS', 2400);
const RATE = numberEnv('CHAOS_RATE', 40);
const KILLS = numberEnv('CHAOS_KILLS', 1);

const say = (message: string) => process.stdout.write(`[chaos] ${message}\n`);

interface Recovery {
  readonly fault: string;
  /** Fault → every affected service answers /health/live again. */
  readonly liveMs: number;
  /** Fault → every service ready (database, broker, views within their lag bound). */
  readonly readyMs: number;
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

/** One line per kind of fault: count, p50 and max of both recovery times. */
function recoveryTable(recoveries: readonly Recovery[]): string {
  const kinds = new Map<string, Recovery[]>();
  for (const r of recoveries) {
    const kind = r.fault.replace(/ \(.*\)$/, '');
    kinds.set(kind, [...(kinds.get(kind) ?? []), r]);
  }
  const ms = (n: number) => `${String(n).padStart(6)} ms`;
  return [...kinds]
    .map(([kind, rs]) => {
      const live = rs.map((r) => r.liveMs);
      const ready = rs.map((r) => r.readyMs);
      return `  ${kind.padEnd(26)} ×${String(rs.length).padEnd(3)} live p50 ${ms(percentile(live, 50))} max ${ms(Math.max(...live))}   ready p50 ${ms(percentile(ready, 50))} max ${ms(Math.max(...ready))}`;
    })
    .join('\n');
}

describe(`faults under a seeded load (seed ${SEED}, ${ORDERS} orders at ${RATE}/s)`, () => {
  const system = new SystemUnderTest();
  const recoveries: Recovery[] = [];
  let load: LoadRun;
  let oracle: OracleFile;

  const waitReady = async (started: number) => {
    await system.waitReady(120_000);
    return Date.now() - started;
  };

  const killService = async (name: ServiceName) => {
    const started = Date.now();
    await system.kill(name);
    system.restart(name);
    const liveMs = await system.waitLive(name);
    recoveries.push({ fault: `SIGKILL ${name}`, liveMs, readyMs: await waitReady(started) });
  };

  const killInfra = async (component: LocalComponent) => {
    const started = Date.now();
    const killed = await localKill([component]);
    say(`SIGKILLed ${component} (pid ${killed[component]}); starting it again`);
    await localEnsure([component]);
    const restartedMs = Date.now() - started;
    // The services never went away: live throughout; ready once they reach the database and broker again.
    for (const name of system.services.keys()) await system.waitLive(name, 5_000);
    say(`${component} back after ${(restartedMs / 1000).toFixed(1)} s`);
    recoveries.push({ fault: `SIGKILL ${component}`, liveMs: 0, readyMs: await waitReady(started) });
  };

  beforeAll(async () => {
    await system.start();
    const info = await localConnectionInfo().catch(() => undefined);
    const infraIsLocal = process.env['CHAOS_INFRA'] !== '0' && info?.kafkaBrokers[0] === system.kafkaBrokers[0];
    const loading = runLoadAgainst(system, {
      seed: SEED,
      users: USERS,
      orders: ORDERS,
      rate: RATE,
      // A client that waits out a restart (about a minute of retries with the same Idempotency-Key).
      extraEnv: { HTTP_ATTEMPTS: '40' },
    });
    try {
      // Faults start once orders flow (the users are on the topic and the first orders are in).
      await system.waitForFirstOrders();
      for (let round = 0; round < KILLS; round++) for (const name of SERVICES) await killService(name);
      if (infraIsLocal) {
        await killInfra('postgres');
        await killInfra('kafka');
      } else say('infra faults skipped (not the local infra, or CHAOS_INFRA=0)');
    } finally {
      load = await loading;
    }
    say(`load generator: exit ${load.exitCode} in ${(load.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(load.summary)}`);
    oracle = await readOracle(load.oracleFile);
    await system.waitQuiescent(10 * 60_000, 'every view to catch up after the faults');
    say(`recovery (fault → /health/live, fault → every service /health/ready):\n${recoveryTable(recoveries)}`);
    say(
      `client: ${String(load.summary?.['ordersAccepted'])} of ${ORDERS} orders accepted, ${String(load.summary?.['retries'] ?? '?')} retries in all`,
    );
  }, 30 * 60_000);

  afterAll(async () => {
    await system.stop({ keepState: process.env['SYSTEM_TEST_KEEP'] === '1' });
  }, 120_000);

  it('no service exited by itself, and every order was accepted', () => {
    expect(system.crashes).toEqual([]);
    const s = load.summary ?? {};
    expect({ exitCode: load.exitCode, problems: s['problems'] }).toEqual({ exitCode: 0, problems: [] });
    expect(s['ordersAccepted']).toBe(ORDERS);
    expect(recoveries.length).toBeGreaterThanOrEqual(SERVICES.length * KILLS);
  });

  it('every view equals the oracle: verdicts, shipments, alerts, analytics totals', async () => {
    expect(await viewsAgainstOracle(system, oracle)).toEqual({
      verdicts: NO_DIFFERENCES,
      shipments: NO_DIFFERENCES,
      alerts: NO_DIFFERENCES,
      totals: NO_DIFFERENCES,
    });
  });

  it('an order recorded by a process killed before its produce is published after the restart (outbox)', async () => {
    await system.kill('order-validation');
    const crashing = system.restart('order-validation', { FAILPOINT: 'exit-after-outbox-write' });
    await system.waitLive('order-validation');
    system.expectExit('order-validation');
    const orderId = `chaos-outbox-${SEED}`;
    // Any user: an unknown one gets a rejection, which is a verdict all the same.
    const userId = oracle.alerts[0]?.userId ?? 'chaos-unknown-user';
    const body = {
      orderId,
      userId,
      lines: [{ productId: 'p-outbox', category: 'books', quantity: 1, unitPriceCents: 1000 }],
      currency: 'EUR',
      totalCents: 1000,
      placedAt: new Date().toISOString(),
    };
    // The process dies while the request is in flight: no answer comes back.
    const answered = await requestJson(`${crashing.baseUrl}/orders`, { method: 'POST', json: body, timeoutMs: 10_000 }).then(
      (response) => `HTTP ${response.status}`,
      () => 'no answer',
    );
    expect(answered).toBe('no answer');
    const { signal } = await crashing.process.exited;
    expect(signal).toBe('SIGKILL');

    const restarted = system.restart('order-validation');
    await system.waitLive('order-validation');
    // No client retries: the outbox relay publishes it, and the verdict proves it went through the topic.
    const seen = await requestJson<{ status?: string }>(`${restarted.baseUrl}/orders/${orderId}?waitMs=30000`, { timeoutMs: 40_000 });
    expect(seen.status).toBe(200);
    expect(['validated', 'rejected']).toContain(seen.body?.status);
  }, 120_000);
});
