import { ANALYTICS_DIMENSIONS, FRAUD_RULES, USERS_AS_OF_HEADER } from '@shop/contracts';
import { Client } from 'pg';
import { requestJson } from './harness/http';
import {
  compareAlerts,
  compareCustomers,
  compareNeverPlaced,
  compareShipments,
  compareTotals,
  compareVerdicts,
  compareWindowTables,
  differences,
  jsonDifferences,
  windowsTable,
} from './harness/compare';
import { runLoadAgainst, type LoadRun } from './harness/load';
import { readOracle, type OracleFile, type RollupTable } from './harness/oracle-file';
import { SERVICES, SystemUnderTest, type ServiceName } from './harness/system';
import { analyticsWindows, getEach, listAll, serviceSnapshot } from './harness/views';
import { numberEnv } from './harness/env';

/**
 * The whole system end to end: every service as its own process (own database, one topic prefix), the
 * load generator's seeded scenario through the front door, then every view compared with the oracle over
 * the services' HTTP APIs, exactly. A tenth of the orders (at most 300) reach the topic as OrderPlaced v1, as
 * written before v2, ahead of the posted ones: every view reads both versions. Then each service rebuilds its views from the log while the others keep
 * running, and every API must answer as before.
 *
 * SYSTEM_TEST_SEED (7), SYSTEM_TEST_USERS (300), SYSTEM_TEST_ORDERS (3000), SYSTEM_TEST_RATE (0 = as fast as
 * possible), SYSTEM_TEST_KEEP=1 keeps the databases and topics for a post-mortem.
 */
const SEED = numberEnv('SYSTEM_TEST_SEED', 7);
const USERS = numberEnv('SYSTEM_TEST_USERS', 300);
const ORDERS = numberEnv('SYSTEM_TEST_ORDERS', 3000);
const RATE = numberEnv('SYSTEM_TEST_RATE', 0);
/** Orders that reach the topic as OrderPlaced v1 (history from before v2), the rest are posted and become v2. */
const V1_ORDERS = Math.min(300, Math.floor(ORDERS / 10));

const say = (message: string) => process.stdout.write(`[system-tests] ${message}\n`);

describe(`the system under a seeded load (seed ${SEED}, ${USERS} users, ${ORDERS} orders)`, () => {
  const system = new SystemUnderTest();
  let load: LoadRun;
  let oracle: OracleFile;
  let orderIds: string[];
  let userIds: string[];

  /** Runs a check; on failure prints the services' last log lines before rethrowing. */
  const withLogs = async (what: string, check: () => Promise<void>) => {
    try {
      await check();
    } catch (error) {
      say(`${what} failed; last log lines:\n${system.logTails()}`);
      throw error;
    }
  };

  beforeAll(async () => {
    await withLogs('start and load', async () => {
      await system.start();
      load = await runLoadAgainst(system, {
        seed: SEED,
        users: USERS,
        orders: ORDERS,
        rate: RATE,
        extraEnv: { V1_ORDERS: String(V1_ORDERS) },
      });
      say(`load generator: exit ${load.exitCode} in ${(load.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(load.summary)}`);
      oracle = await readOracle(load.oracleFile);
      orderIds = Object.keys(oracle.verdicts);
      userIds = Object.keys(oracle.customers);
      await system.waitQuiescent(10 * 60_000, 'every view to catch up after the load');
    });
  }, 20 * 60_000);

  afterAll(async () => {
    await system.stop({ keepState: process.env['SYSTEM_TEST_KEEP'] === '1' });
  }, 120_000);

  it('load generator: every order accepted (202), every bad body refused (400), idempotency rules hold', () => {
    const s = load.summary ?? {};
    expect({ exitCode: load.exitCode, problems: s['problems'] }).toEqual({ exitCode: 0, problems: [] });
    expect(s['ordersAccepted']).toBe(ORDERS);
    expect(s['badRequests']).toEqual({ sent: oracle.badRequests.length, got400: oracle.badRequests.length });
  });

  it('OrderPlaced v1 (written before the upgrade) and v2 (the front door now) coexist on the orders topic', async () => {
    const versions = new Map<number, Set<string>>();
    for (const r of await system.readTopic('orders')) {
      const event = JSON.parse(r.value?.toString('utf8') ?? 'null') as { version: number; payload: { orderId: string } };
      versions.set(event.version, (versions.get(event.version) ?? new Set()).add(event.payload.orderId));
    }
    expect(load.summary?.['ordersAsV1']).toBe(V1_ORDERS);
    expect([...versions.keys()].sort()).toEqual([1, 2]);
    expect(versions.get(1)?.size).toBe(V1_ORDERS);
    expect((versions.get(1)?.size ?? 0) + (versions.get(2)?.size ?? 0)).toBe(ORDERS);
    // Every view below is compared with the oracle over all the orders, v1 ones included.
    expect([...(versions.get(1) ?? [])].every((id) => id in oracle.verdicts)).toBe(true);
  });

  it('users changed while their orders flowed, and every event of an order joins users at the position the front door stamped', async () => {
    // The scenario moves, relocates, suspends and deletes users between two of their orders (the oracle judges
    // each order by the user as of it); the rebuilds below replay those orders against the changed users.
    const changes = load.summary?.['userChanges'] as { updated: number; deleted: number } | undefined;
    expect(changes?.updated).toBeGreaterThanOrEqual(3);
    expect(changes?.deleted).toBeGreaterThanOrEqual(1);
    const tombstones = (await system.readTopic('users')).filter((r) => r.value === null).length;
    expect(tombstones).toBe(changes?.deleted);

    const asOfByOrder = new Map<string, string | undefined>();
    for (const r of await system.readTopic('orders')) {
      const key = r.key?.toString('utf8') ?? '';
      if (!asOfByOrder.has(key)) asOfByOrder.set(key, r.headers[USERS_AS_OF_HEADER]);
    }
    // v1 history has no position (it joins as of its timestamp); every order of the front door has one.
    const stamped = [...asOfByOrder.values()].filter((h) => h !== undefined);
    expect(stamped.length).toBe(ORDERS - V1_ORDERS);
    expect(stamped.every((h) => /^w:\d+(,\d+)*$/.test(h ?? ''))).toBe(true);
    // Verdicts and shipments carry the position of their order on (v1 orders: as of the OrderPlaced's timestamp).
    for (const topic of ['order-validations', 'shipments'] as const) {
      const mismatched = (await system.readTopic(topic)).filter((r) => {
        const placed = asOfByOrder.get(r.key?.toString('utf8') ?? '');
        const carried = r.headers[USERS_AS_OF_HEADER];
        return placed === undefined ? !/^t:\d+$/.test(carried ?? '') : carried !== placed;
      });
      expect({ topic, mismatched: mismatched.length }).toEqual({ topic, mismatched: 0 });
    }
  });

  it("least privilege: each service connects as its own database role, which every other service's database refuses", async () => {
    const refusals: string[] = [];
    for (const name of SERVICES) {
      const own = system.service(name).database;
      expect(own.role).toBe(own.name);
      for (const other of SERVICES.filter((o) => o !== name)) {
        // This service's credentials (its DATABASE_URL), another service's database.
        const client = new Client({ connectionString: new URL(`/${system.service(other).database.name}`, own.url).toString() });
        client.on('error', () => undefined);
        const refused = await client.connect().then(
          () => undefined,
          (error: { code?: string; message: string }) => error,
        );
        await client.end().catch(() => undefined);
        if (refused?.code !== '42501') refusals.push(`${name} → ${other}: ${refused ? `${refused.code} ${refused.message}` : 'connected'}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it('order-validation: every order has the oracle verdict and exactly its reason codes; refused bodies never became orders', async () => {
    const svc = system.service('order-validation');
    const seen = await getEach(svc.baseUrl, orderIds, (id) => `/orders/${encodeURIComponent(id)}`);
    expect(differences(compareVerdicts(oracle, seen))).toEqual({ count: 0, examples: [] });
    const never = oracle.badRequests.flatMap((b) => (b.orderId ? [b.orderId] : []));
    const neverSeen = await getEach(svc.baseUrl, never, (id) => `/orders/${encodeURIComponent(id)}`);
    expect(differences(compareNeverPlaced(never, neverSeen))).toEqual({ count: 0, examples: [] });
  });

  it('shipping: one shipment for exactly the validated orders, with the address of the verdict', async () => {
    const svc = system.service('shipping');
    const seen = await getEach(svc.baseUrl, orderIds, (id) => `/shipments/${encodeURIComponent(id)}`);
    expect(differences(compareShipments(oracle, seen))).toEqual({ count: 0, examples: [] });
    const { total } = await listAll(svc.baseUrl, '/shipments', 1);
    expect(total).toBe(oracle.counts.validated);
  });

  it('fraud-detection: alerts for exactly the planted patterns (ids, rules, users, orders)', async () => {
    const svc = system.service('fraud-detection');
    const { total, items } = await listAll(svc.baseUrl, '/alerts');
    expect(differences(compareAlerts(oracle, items))).toEqual({ count: 0, examples: [] });
    expect(total).toBe(oracle.alerts.length);
    // Filters of GET /alerts?userId=&rule=
    for (const rule of FRAUD_RULES) {
      const byRule = await listAll(svc.baseUrl, `/alerts?rule=${rule}`);
      expect({ rule, total: byRule.total }).toEqual({ rule, total: oracle.analytics.totals.alertsByRule[rule] });
    }
    const sample = oracle.alerts[0];
    if (sample) {
      const byUser = await listAll(svc.baseUrl, `/alerts?userId=${encodeURIComponent(sample.userId)}`);
      expect(byUser.total).toBe(oracle.alerts.filter((a) => a.userId === sample.userId).length);
    }
  });

  it('analytics: totals (validated, rejected, revenue, shipments, alerts by rule) equal the oracle', async () => {
    const svc = system.service('analytics');
    const { status, body } = await requestJson(`${svc.baseUrl}/analytics/totals`);
    expect(status).toBe(200);
    expect(differences(compareTotals(oracle, body))).toEqual({ count: 0, examples: [] });
  });

  it('analytics: 1m, 1h and running-total roll-ups by region, channel, product and category equal the oracle', async () => {
    const svc = system.service('analytics');
    const windows = await analyticsWindows(svc.baseUrl);
    const totals = oracle.analytics.totals;
    const expectedTotal: Record<string, RollupTable> = {
      region: totals.byRegion,
      channel: totals.byChannel,
      product: totals.byProduct,
      category: totals.byCategory,
    };
    const problems: string[] = [];
    for (const dimension of ANALYTICS_DIMENSIONS) {
      for (const size of ['1m', '1h'] as const) {
        problems.push(
          ...compareWindowTables(
            `${size}/${dimension}`,
            oracle.analytics.windows[size][dimension],
            windowsTable(windows[`${size}/${dimension}`]),
          ),
        );
      }
      problems.push(
        ...compareWindowTables(
          `total/${dimension}`,
          { total: expectedTotal[dimension] ?? {} },
          windowsTable(windows[`total/${dimension}`]),
        ),
      );
    }
    expect(differences(problems)).toEqual({ count: 0, examples: [] });
  });

  it('customer-profiles: every customer with orders has the oracle profile (orders, lifetime value, last order and shipment, alerts)', async () => {
    const svc = system.service('customer-profiles');
    const seen = await getEach(svc.baseUrl, userIds, (id) => `/customers/${encodeURIComponent(id)}`);
    expect(userIds.length).toBeGreaterThan(0);
    expect(differences(compareCustomers(oracle, seen))).toEqual({ count: 0, examples: [] });
  });

  describe('rebuild from the log, one service at a time while the others keep running', () => {
    const snapshotAll = async () => {
      const result = new Map<ServiceName, unknown>();
      for (const name of system.services.keys())
        result.set(name, await serviceSnapshot(name, system.service(name).baseUrl, orderIds, userIds));
      return result;
    };

    // Each rebuild is compared with the answers just before it, so one service's deviation does not
    // show up again in the next service's test.
    it.each(SERVICES.map((s) => [s]))('%s: POST /admin/rebuild, catch up, every API answers exactly as before', async (name) => {
      await withLogs(`rebuild of ${name}`, async () => {
        const svc = system.service(name);
        const before = await snapshotAll();
        const response = await requestJson<{ views?: string[] }>(`${svc.baseUrl}/admin/rebuild`, {
          method: 'POST',
          headers: system.adminHeaders,
        });
        expect(response.status).toBe(202);
        say(`${name}: rebuilding ${JSON.stringify(response.body)}`);
        await system.waitQuiescent(10 * 60_000, `${name} to rebuild and every view to settle`);
        const after = await snapshotAll();
        const changed: Record<string, string[]> = {};
        for (const [service, answers] of before) {
          const diff = jsonDifferences(answers, after.get(service));
          if (diff.length > 0) changed[service] = diff.slice(0, 15);
        }
        expect(changed).toEqual({});
      });
    });
  });
});
