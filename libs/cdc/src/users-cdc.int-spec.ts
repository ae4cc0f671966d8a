import { Client } from 'pg';
import { Topics, decodeRecord, withTopicPrefix, type Decoded, type UserRecord } from '@shop/contracts';
import { cdcAcls, KafkajsClient, kafkaSecurityFromEnv, provisionTopics, readRecords, type Admin, type IncomingRecord } from '@shop/kafka';
import { createTestDatabase, testInfra, uniqueName, waitUntil } from '@shop/test-infra';
import { ConnectClient, databaseFromUrl, usersCdcConnector } from '.';

// The legacy monolith's table: exactly the fields of UserRecord.
const CREATE_USERS = `
  CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL,
    name          text NOT NULL,
    status        text NOT NULL,
    country       text NOT NULL,
    region        text NOT NULL,
    address_line1 text,
    city          text,
    postal_code   text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
  )`;

function user(id: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    email: `${id}@example.com`,
    name: `User ${id}`,
    status: 'active',
    country: 'DE',
    region: 'EU',
    address_line1: 'Hauptstr. 1',
    city: 'Berlin',
    postal_code: '10115',
    created_at: '2026-11-25T10:00:00.123456Z',
    updated_at: '2026-11-25T10:00:00.123456Z',
    ...overrides,
  };
}

async function insert(db: Client, u: UserRecord): Promise<void> {
  await db.query(
    `INSERT INTO users (id, email, name, status, country, region, address_line1, city, postal_code, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [u.id, u.email, u.name, u.status, u.country, u.region, u.address_line1, u.city, u.postal_code, u.created_at, u.updated_at],
  );
}

async function recordCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high - p.low), 0);
}

const log = (msg: string) => process.stderr.write(`[cdc-it] ${msg}\n`);

describe('CDC of a users table into the users topic (Debezium on Kafka Connect)', () => {
  const connectUrl = process.env['CONNECT_URL'];
  const connect = new ConnectClient(connectUrl ?? 'http://connect-url-not-set');
  const prefix = `${uniqueName('cdc')}_`;
  const topic = withTopicPrefix(Topics.users, prefix);
  const slotName = uniqueName('users_slot');
  const publicationName = uniqueName('users_pub');
  const connectorName = `users-cdc-${prefix.slice(0, -1)}`;
  // Brokers that ask who is calling check ACLs as well (the local infra's SASL listener, where Connect signs in as
  // `connect`): its principal may write this run's users topic once the test, as admin, grants it.
  const connectAcls = kafkaSecurityFromEnv().sasl ? cdcAcls('connect', prefix) : [];
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Client;
  let kafka: KafkajsClient;
  let admin: Admin;

  beforeAll(async () => {
    if (!connectUrl) throw new Error('CONNECT_URL not set: run through `nx run cdc:int-test` (jest config needs: [connect])');
    testDb = await createTestDatabase('cdc');
    db = new Client({ connectionString: testDb.url });
    await db.connect();
    kafka = new KafkajsClient({ clientId: prefix, brokers: testInfra().kafkaBrokers, security: kafkaSecurityFromEnv() });
    admin = await kafka.admin();
    if (connectAcls.length > 0) await admin.createAcls(connectAcls);
  });

  afterAll(async () => {
    // Connector first (it holds the slot), then slot and publication, then the database.
    await connect.delete(connectorName).catch((e: unknown) => log(`delete connector: ${String(e)}`));
    if (db) {
      await waitUntil(
        async () => {
          const { rows } = await db.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slotName]);
          if (rows.length === 0) return true;
          if (rows[0]?.active) return undefined;
          await db.query('SELECT pg_drop_replication_slot($1)', [slotName]);
          return true;
        },
        { description: `replication slot ${slotName} released and dropped`, timeoutMs: 30_000, intervalMs: 250 },
      ).catch((e: unknown) => log(String(e)));
      await db.query(`DROP PUBLICATION IF EXISTS ${db.escapeIdentifier(publicationName)}`).catch(() => undefined);
      await db.end();
    }
    if (admin) {
      await admin.deleteTopics([topic.name, `${topic.name}.dlq`]).catch(() => undefined);
      if (connectAcls.length > 0) await admin.deleteAcls(connectAcls).catch((e: unknown) => log(`delete ACLs: ${String(e)}`));
      await admin.disconnect();
    }
    await testDb?.drop();
  });

  it('publishes the snapshot, inserts, updates and deletes as plain user records keyed by id, a delete as a tombstone only', async () => {
    await db.query(CREATE_USERS);
    const alice = user('u-alice');
    const bob = user('u-bob', { address_line1: null, city: null, postal_code: null, country: 'FR' });
    await insert(db, alice);
    await insert(db, bob);

    // Our code provisions the compacted topic; the connector never creates topics.
    await provisionTopics(admin, [topic]);

    const connector = usersCdcConnector({
      connectorName,
      database: databaseFromUrl(testDb.url),
      targetTopic: topic.name,
      serverName: prefix.slice(0, -1),
      slotName,
      publicationName,
    });
    const t0 = Date.now();
    await connect.upsert(connector);
    await connect.waitUntilRunning(connectorName, 60_000);
    const tRunning = Date.now();
    const snapshot = await readRecords(kafka, topic.name, uniqueName('cdc_snap'), 2, 60_000);
    log(`connector running after ${tRunning - t0} ms; snapshot (2 rows) on the topic after ${Date.now() - t0} ms`);
    log(`a snapshot value as published: ${snapshot[0]?.value?.toString('utf8')}`);

    const decode = (r: IncomingRecord): Decoded<UserRecord> => decodeRecord(topic, r.key, r.value);
    const byKey = (records: IncomingRecord[]) => {
      const out = new Map<string, Decoded<UserRecord>[]>();
      for (const r of records) {
        const d = decode(r);
        out.set(d.key, [...(out.get(d.key) ?? []), d]);
      }
      return out;
    };
    expect(byKey(snapshot)).toEqual(
      new Map([
        ['u-alice', [{ kind: 'value', key: 'u-alice', value: alice }]],
        ['u-bob', [{ kind: 'value', key: 'u-bob', value: bob }]],
      ]),
    );
    expect(snapshot.every((r) => r.key?.toString('utf8') === decode(r).key)).toBe(true);

    // Streaming: insert, update, delete, then a marker insert so we know everything before it arrived.
    const carol = user('u-carol', { region: 'EU-WEST' });
    await insert(db, carol);
    const aliceV2 = { ...alice, name: 'Alice Renamed', status: 'suspended' as const, updated_at: '2026-11-25T11:30:00.5Z' };
    await db.query('UPDATE users SET name = $2, status = $3, updated_at = $4 WHERE id = $1', [
      alice.id,
      aliceV2.name,
      aliceV2.status,
      aliceV2.updated_at,
    ]);
    const tDelete = Date.now();
    await db.query('DELETE FROM users WHERE id = $1', [bob.id]);
    const marker = user('u-marker');
    await insert(db, marker);

    // 2 snapshot + insert + update + tombstone + marker: exactly 6, no delete-event record.
    await waitUntil(async () => (await recordCount(admin, topic.name)) >= 6 || undefined, {
      description: `6 records on ${topic.name}`,
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    log(`delete → tombstone + marker on the topic after ${Date.now() - tDelete} ms`);
    const all = await readRecords(kafka, topic.name, uniqueName('cdc_all'), 6, 30_000);
    for (const r of all)
      log(`p${r.partition}@${r.offset} ${r.key?.toString('utf8')} → ${r.value === null ? '(null)' : r.value.toString('utf8')}`);
    expect(await recordCount(admin, topic.name)).toBe(6);

    const keyed = byKey(all);
    expect(keyed.get('u-alice')).toEqual([
      { kind: 'value', key: 'u-alice', value: alice },
      // PostgreSQL keeps microseconds; Debezium prints all six digits.
      { kind: 'value', key: 'u-alice', value: { ...aliceV2, updated_at: '2026-11-25T11:30:00.500000Z' } },
    ]);
    expect(keyed.get('u-bob')).toEqual([
      { kind: 'value', key: 'u-bob', value: bob },
      { kind: 'tombstone', key: 'u-bob' },
    ]);
    expect(keyed.get('u-carol')).toEqual([{ kind: 'value', key: 'u-carol', value: carol }]);
    expect(keyed.get('u-marker')).toEqual([{ kind: 'value', key: 'u-marker', value: marker }]);
    // A real Kafka tombstone (null value, which compaction removes), not the 4 bytes `null`.
    const bobRecords = all.filter((r) => r.key?.toString('utf8') === 'u-bob');
    expect(bobRecords.map((r) => r.value)).toEqual([expect.any(Buffer), null]);
  });
});
