import { Client } from 'pg';
import { Topics, withTopicPrefix } from '@shop/contracts';
import { ConnectClient, databaseFromUrl, usersCdcConnector } from '@shop/cdc';
import { provisionTopics } from '@shop/kafka';
import { uniqueName, waitUntil } from '@shop/testing';
import { requestJson } from './harness/http';
import { localConnectionInfo, localDown, localEnsure } from './harness/local-infra';
import { SERVICES, SystemUnderTest, type ServiceName } from './harness/system';
import {
  USER_COLUMNS,
  compareUsersView,
  describeComparison,
  selectSql,
  usersViewOf,
  viewMatches,
  type Row,
  type ViewComparison,
} from './harness/users-views';
import { numberEnv } from './harness/env';

/**
 * Issue #4 end to end: the legacy monolith's `users` table, captured by Debezium on Kafka Connect into the
 * run's compacted `<prefix>users` topic, becomes every service's users view, exactly, including the users
 * that existed before CDC started (the snapshot), updates, deletes (tombstones), and every change made
 * while the Connect worker was restarted in the middle of the stream.
 *
 * SYSTEM_TEST_CDC_SNAPSHOT (20) users before CDC; then SYSTEM_TEST_CDC_CREATES (150), _UPDATES (100),
 * _DELETES (30) interleaved; SYSTEM_TEST_KEEP=1 keeps the databases and topics (the connector, slot and
 * publication are always removed).
 */
const SNAPSHOT_USERS = numberEnv('SYSTEM_TEST_CDC_SNAPSHOT', 20);
const CREATES = numberEnv('SYSTEM_TEST_CDC_CREATES', 150);
const UPDATES = numberEnv('SYSTEM_TEST_CDC_UPDATES', 100);
const DELETES = numberEnv('SYSTEM_TEST_CDC_DELETES', 30);
const CONVERGE_TIMEOUT_MS = 90_000;

const say = (message: string) => process.stdout.write(`[system-tests:cdc] ${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** mulberry32: a small seeded PRNG, so a run's stream of changes is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['DE', 'FR', 'US', 'JP', 'BR', 'IT'] as const;
const REGIONS = ['europe', 'north-america', 'asia', 'south-america'] as const;
const CITIES = ['Berlin', 'Paris', 'Boston', 'Osaka', 'Recife', 'Turin'] as const;

type Change = { kind: 'create' } | { kind: 'update' } | { kind: 'delete' };

describe('CDC: the monolith users table → Debezium (with a Connect restart) → every service users view', () => {
  const system = new SystemUnderTest({ withMonolith: true });
  const connectUrl = process.env['CONNECT_URL'];
  const connect = new ConnectClient(connectUrl ?? 'http://connect-url-not-set');
  const connectorName = `users-cdc-${system.runId}`;
  const slotName = uniqueName('users_slot');
  const publicationName = uniqueName('users_pub');
  const usersTopic = withTopicPrefix(Topics.users, system.topicPrefix);
  const random = prng(numberEnv('SYSTEM_TEST_SEED', 7));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let monolithDb: Client | undefined;
  let disconnectAdmin: (() => Promise<void>) | undefined;
  /** Set while the test has the shared Connect worker stopped (or starting): afterAll then starts it again. */
  let workerDown = false;
  let nextUser = 0;
  /** Ids the monolith has (created, not deleted) according to its API answers. */
  const live: string[] = [];
  const sent = { create: 0, update: 0, delete: 0 };
  /** updated_at of every live user as the API answered: a PATCH that changes nothing writes nothing (no CDC event). */
  const updatedAt = new Map<string, string>();
  let effectiveUpdates = 0;

  const withLogs = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      say(`${what} failed; last log lines:\n${system.logTails()}`);
      throw error;
    }
  };

  const monolithCall = async (method: string, path: string, json?: unknown, expected = [200, 201, 204]) => {
    const res = await requestJson(`${system.monolith.baseUrl}${path}`, { method, json, timeoutMs: 15_000 });
    if (!expected.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    return res;
  };

  const createUser = async () => {
    nextUser += 1;
    const id = `cdc-${system.runId}-${nextUser}`.slice(-64);
    const withAddress = random() < 0.8;
    const country = pick(COUNTRIES);
    const res = await monolithCall('POST', '/users', {
      id,
      email: `user${nextUser}.${system.runId}@example.com`,
      name: `User ${nextUser}`,
      country,
      region: pick(REGIONS),
      ...(random() < 0.2 ? { status: 'suspended' } : {}),
      ...(withAddress ? { address_line1: `${nextUser} Main Street`, city: pick(CITIES), postal_code: String(10_000 + nextUser) } : {}),
    });
    live.push(id);
    updatedAt.set(id, String((res.body as { updated_at?: unknown }).updated_at));
    sent.create += 1;
  };

  const updateUser = async () => {
    const id = pick(live);
    const patch: Record<string, unknown> = {};
    // name, address, country, status: at least one of them, often several.
    if (random() < 0.5) patch['name'] = `Renamed ${nextUser}-${Math.floor(random() * 1e6)}`;
    if (random() < 0.5) {
      patch['address_line1'] = random() < 0.2 ? null : `${Math.floor(random() * 999)} Side Road`;
      patch['city'] = pick(CITIES);
      patch['postal_code'] = String(Math.floor(random() * 90_000) + 10_000);
    }
    if (random() < 0.4) patch['country'] = pick(COUNTRIES);
    if (random() < 0.4 || Object.keys(patch).length === 0) patch['status'] = random() < 0.5 ? 'suspended' : 'active';
    const res = await monolithCall('PATCH', `/users/${encodeURIComponent(id)}`, patch);
    const after = String((res.body as { updated_at?: unknown }).updated_at);
    if (after !== updatedAt.get(id)) effectiveUpdates += 1;
    updatedAt.set(id, after);
    sent.update += 1;
  };

  const deleteUser = async () => {
    const index = Math.floor(random() * live.length);
    const [id] = live.splice(index, 1);
    await monolithCall('DELETE', `/users/${encodeURIComponent(id as string)}`);
    updatedAt.delete(id as string);
    sent.delete += 1;
  };

  /** The stream: creates, updates and deletes interleaved at random (an update or delete needs a user). */
  const changes: Change[] = [];
  {
    const pool: Change['kind'][] = [
      ...Array<'create'>(CREATES).fill('create'),
      ...Array<'update'>(UPDATES).fill('update'),
      ...Array<'delete'>(DELETES).fill('delete'),
    ];
    const order = prng(99);
    for (let i = pool.length - 1; i > 0; i -= 1) {
      const j = Math.floor(order() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as Change['kind'], pool[i] as Change['kind']];
    }
    changes.push(...pool.map((kind) => ({ kind })));
  }
  const apply = async (change: Change) => {
    // Never run out of users to update or delete: the snapshot users are there from the start.
    if (change.kind === 'create' || live.length === 0) return createUser();
    return change.kind === 'update' ? updateUser() : deleteUser();
  };
  const applyAll = async (slice: readonly Change[]) => {
    for (const change of slice) await apply(change);
  };

  const readRows = async (url: string, table: string, columns: readonly string[], versioned = false): Promise<Row[]> => {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      return (await db.query(selectSql(table, columns, versioned))).rows as Row[];
    } finally {
      await db.end();
    }
  };

  const compareAll = async (): Promise<Map<ServiceName, ViewComparison>> => {
    const source = await readRows(system.monolith.database.url, 'users', USER_COLUMNS);
    const result = new Map<ServiceName, ViewComparison>();
    for (const name of SERVICES) {
      const view = usersViewOf(name);
      result.set(
        name,
        compareUsersView(source, await readRows(system.service(name).database.url, view.table, view.columns, view.versioned), view.columns),
      );
    }
    return result;
  };

  beforeAll(async () => {
    if (!connectUrl) throw new Error('CONNECT_URL not set: run through `nx run system-tests:e2e` (jest.e2e.config.cjs needs: [connect])');
    const local = await localConnectionInfo();
    if (local.connectUrl.replace(/\/+$/, '') !== connectUrl.replace(/\/+$/, '')) {
      throw new Error(`this test restarts the Connect worker through infra/local (${local.connectUrl}), but CONNECT_URL is ${connectUrl}`);
    }
    await withLogs('start', () => system.start());
  }, 5 * 60_000);

  afterAll(async () => {
    // Never leave the shared worker down, even when the test failed in the middle of the restart.
    if (workerDown) await localEnsure(['connect']).catch((e: unknown) => say(`could not start the Connect worker again: ${String(e)}`));
    // Connector first (it holds the slot), then slot and publication, then processes, databases, topics.
    await connect.delete(connectorName).catch((e: unknown) => say(`delete connector: ${String(e)}`));
    if (monolithDb) {
      const db = monolithDb;
      await waitUntil(
        async () => {
          const { rows } = await db.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slotName]);
          if (rows.length === 0) return true;
          if (rows[0]?.active) return undefined;
          await db.query('SELECT pg_drop_replication_slot($1)', [slotName]);
          return true;
        },
        { description: `replication slot ${slotName} released and dropped`, timeoutMs: 30_000, intervalMs: 250 },
      ).catch((e: unknown) => say(String(e)));
      await db.query(`DROP PUBLICATION IF EXISTS ${db.escapeIdentifier(publicationName)}`).catch(() => undefined);
      await db.end().catch(() => undefined);
    }
    await disconnectAdmin?.().catch(() => undefined);
    await system.stop({ keepState: process.env['SYSTEM_TEST_KEEP'] === '1' });
  }, 3 * 60_000);

  it(
    'snapshot + stream with a Connect worker restart: every users view equals the monolith table, exactly',
    async () => {
      const t0 = Date.now();
      // 1. Users that exist before CDC starts: only the connector's snapshot can bring them.
      for (let i = 0; i < SNAPSHOT_USERS; i += 1) await createUser();
      say(`${SNAPSHOT_USERS} users created through the monolith before CDC, ${seconds(Date.now() - t0)}`);

      // 2. The compacted topic (the services provision it at start as well), then the connector.
      const kafka = system.kafkaClient(`${system.runId}-cdc`);
      const admin = await kafka.admin();
      disconnectAdmin = () => admin.disconnect();
      const topicRecords = async () => (await admin.fetchOffsets(usersTopic.name)).reduce((sum, p) => sum + Number(p.high - p.low), 0);
      const created = await provisionTopics(admin, [usersTopic]);
      say(`topic ${usersTopic.name} (compacted) ${created.length > 0 ? 'created by the test' : 'already provisioned by the services'}`);
      monolithDb = new Client({ connectionString: system.monolith.database.url });
      await monolithDb.connect();
      const tConnector = Date.now();
      await connect.upsert(
        usersCdcConnector({
          connectorName,
          database: databaseFromUrl(system.monolith.database.url),
          targetTopic: usersTopic.name,
          serverName: system.runId,
          slotName,
          publicationName,
        }),
      );
      await connect.waitUntilRunning(connectorName, 60_000);
      say(`connector ${connectorName} running in ${seconds(Date.now() - tConnector)} (topic ${usersTopic.name}, slot ${slotName})`);

      // 3. The stream, with the worker stopped and started again in the middle: changes keep coming while it is down.
      const n = changes.length;
      const [first, whileDown, whileStarting, last] = [
        changes.slice(0, Math.floor(n * 0.4)),
        changes.slice(Math.floor(n * 0.4), Math.floor(n * 0.65)),
        changes.slice(Math.floor(n * 0.65), Math.floor(n * 0.8)),
        changes.slice(Math.floor(n * 0.8)),
      ];
      const tStream = Date.now();
      await withLogs('stream (before the restart)', () => applyAll(first));
      const liveAtRestart = live.length;
      const tDown = Date.now();
      workerDown = true;
      const stopped = await localDown(['connect']);
      say(`${first.length} changes sent; Connect worker stopped in ${seconds(Date.now() - tDown)} (${JSON.stringify(stopped)})`);
      const stillUp = await fetch(`${connectUrl}/connectors`, { signal: AbortSignal.timeout(2_000) }).then(
        () => true,
        () => false,
      );
      expect(stillUp).toBe(false);
      await withLogs('stream (Connect down)', () => applyAll(whileDown));
      say(`${whileDown.length} changes sent while the worker was down`);
      const tUp = Date.now();
      const starting = localEnsure(['connect']);
      await withLogs('stream (Connect starting)', () => applyAll(whileStarting));
      const ensured = await starting;
      workerDown = false;
      say(
        `${whileStarting.length} changes sent while it started; worker up in ${seconds(Date.now() - tUp)} (started: ${JSON.stringify(ensured.started)})`,
      );
      await connect.waitUntilRunning(connectorName, 60_000);
      say(`connector running again ${seconds(Date.now() - tUp)} after the start began`);
      await withLogs('stream (after the restart)', () => applyAll(last));
      say(`stream done in ${seconds(Date.now() - tStream)}: ${JSON.stringify(sent)}, ${live.length} users live`);

      // 4. Converge: every view equals the table projected to its columns.
      const tConverge = Date.now();
      let latest = new Map<ServiceName, ViewComparison>();
      await waitUntil(
        async () => {
          latest = await compareAll();
          return [...latest.values()].every(viewMatches) || undefined;
        },
        { description: 'every users view to equal the monolith users table', timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: 500 },
      ).catch((error: Error) => say(`${error.message.split(';')[0]}`));
      say(
        `views compared after ${seconds(Date.now() - tConverge)}:\n  ${[...latest].map(([name, c]) => describeComparison(name, c)).join('\n  ')}`,
      );

      const source = await readRows(system.monolith.database.url, 'users', ['id']);
      expect(source.length).toBe(live.length);
      expect(new Set(source.map((r) => String(r['id'])))).toEqual(new Set(live));
      const report = Object.fromEntries([...latest].map(([name, c]) => [name, describeComparison(name, c)]));
      expect(report).toEqual(Object.fromEntries(SERVICES.map((name) => [name, `${name}: ${live.length} rows, identical`])));
      expect(system.crashes).toEqual([]);

      // The worker resumed from its stored source offsets: one record per change (snapshot rows, inserts, updates
      // that changed something, one tombstone per delete), give or take the few a source connector may publish
      // twice (at least once); a fresh snapshot after the restart would have republished every live user.
      const expectedRecords = sent.create + effectiveUpdates + sent.delete; // sent.create includes the snapshot users
      const records = await topicRecords();
      say(
        `${usersTopic.name}: ${records} records for ${expectedRecords} changes (${effectiveUpdates} of ${sent.update} updates changed a value)`,
      );
      expect(records).toBeGreaterThanOrEqual(expectedRecords);
      expect(records - expectedRecords).toBeLessThan(liveAtRestart);
      say(`whole CDC scenario in ${seconds(Date.now() - t0)}`);
    },
    6 * 60_000,
  );
});
