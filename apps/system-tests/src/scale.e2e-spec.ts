import { runLoadAgainst, type LoadRun } from './harness/load';
import { readOracle, type OracleFile } from './harness/oracle-file';
import { SystemUnderTest } from './harness/system';
import { numberEnv } from './harness/env';
import { NO_DIFFERENCES, viewsAgainstOracle } from './harness/oracle-checks';

/**
 * Horizontal scale under a seeded load: two order-validation instances behind a client that spreads its
 * requests and fails over (as a load balancer would), one of them SIGKILLed and restarted repeatedly; shipping
 * scaled from 1 to 3 instances mid-load (one consumer group: the partitions spread over the members), then
 * one of those killed for good. With a client budget of a few immediate attempts, no order may be refused,
 * and every view must end equal to the oracle.
 *
 * SCALE_SEED (13), SCALE_USERS (150), SCALE_ORDERS (1600), SCALE_RATE (40/s), SCALE_KILLS (3).
 */
const SEED = numberEnv('SCALE_SEED', 13);
const USERS = numberEnv('SCALE_USERS', 150);
const ORDERS = numberEnv('SCALE_ORDERS', 1600);
const RATE = numberEnv('SCALE_RATE', 40);
const KILLS = numberEnv('SCALE_KILLS', 3);

const say = (message: string) => process.stdout.write(`[scale] ${message}\n`);

describe(`instances under a seeded load (seed ${SEED}, ${ORDERS} orders at ${RATE}/s)`, () => {
  const system = new SystemUnderTest();
  let load: LoadRun;
  let oracle: OracleFile;

  beforeAll(async () => {
    await system.start();
    await system.addInstance('order-validation');
    const loading = runLoadAgainst(system, {
      seed: SEED,
      users: USERS,
      orders: ORDERS,
      rate: RATE,
      // Two tries on each instance and a short backoff: enough to fail over, far too little to wait out a restart.
      extraEnv: { HTTP_ATTEMPTS: '4' },
    });
    try {
      await system.waitForFirstOrders();
      say('shipping: 1 → 3 instances');
      await system.addInstance('shipping');
      await system.addInstance('shipping');
      await system.waitReady();
      for (let i = 0; i < KILLS; i++) {
        const again = await system.killInstance('order-validation', 0, { restart: true });
        if (again) await system.waitLiveAt(again);
        say(`order-validation instance 2 SIGKILLed and restarted (${i + 1}/${KILLS})`);
      }
      await system.killInstance('shipping', 0);
      say('one of the three shipping instances SIGKILLed for good');
    } finally {
      load = await loading;
    }
    say(`load generator: exit ${load.exitCode} in ${(load.durationMs / 1000).toFixed(1)} s: ${JSON.stringify(load.summary)}`);
    oracle = await readOracle(load.oracleFile);
    await system.waitQuiescent(10 * 60_000, 'every view to catch up');
  }, 20 * 60_000);

  afterAll(async () => {
    await system.stop({ keepState: process.env['SYSTEM_TEST_KEEP'] === '1' });
  }, 120_000);

  it('no order refused while an order-validation instance was killed again and again; nothing exited by itself', () => {
    expect(system.crashes).toEqual([]);
    const s = load.summary ?? {};
    expect({ exitCode: load.exitCode, problems: s['problems'] }).toEqual({ exitCode: 0, problems: [] });
    expect(s['ordersAccepted']).toBe(ORDERS);
  });

  it('every view equals the oracle with shipping on several members of one group', async () => {
    // Read through the instance that was added last: every instance serves the one database.
    const shippingUrl = system.urls('shipping').at(-1) ?? system.service('shipping').baseUrl;
    expect(await viewsAgainstOracle(system, oracle, { shippingUrl })).toEqual({
      verdicts: NO_DIFFERENCES,
      shipments: NO_DIFFERENCES,
      alerts: NO_DIFFERENCES,
      totals: NO_DIFFERENCES,
    });
  });
});
