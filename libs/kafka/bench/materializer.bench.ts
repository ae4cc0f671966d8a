/**
 * Materializer throughput, side by side on one broker and one database (run: npm run bench:materializer).
 *
 *   A  materializer.rebuild() of a view of an N-event topic (default 1,000,000): truncate, replay from 0
 *   B  the database's limit: the same rows written with batched INSERT … SELECT FROM unnest … ON CONFLICT
 *      through node-postgres, nothing else (no Kafka, no decoding)
 *   D  the same rows by COPY into a staging table, then one INSERT … SELECT … ON CONFLICT per batch (the
 *      fastest bulk path PostgreSQL has, with the same upsert semantics)
 *   C  the usual approach: a kafkajs eachMessage consumer doing one Prisma upsert per message
 *      (measured over the first NAIVE_EVENTS records, default 20,000: at its rate 1M would take ~20 min)
 *
 * A runs on @shop/db's PgDatabase, as every service's views do. Env: KAFKA_BROKERS, DATABASE_URL (admin URL; a scratch database is created and dropped), EVENTS, NAIVE_EVENTS.
 */
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Topics, renameTopic, type UserRecord } from '@shop/contracts';
import { applyMigrations, createPgAdapter, createPgDatabase } from '@shop/db';
import {
  DeadLetterPublisher,
  EventProducer,
  KafkajsClient,
  Materializer,
  changelogTableView,
  kafkaSecurityFromEnv,
  provisionTopics,
} from '../src';
import { PrismaClient } from '../test-support/src/generated/prisma/client';

const EVENTS = Number(process.env['EVENTS'] ?? 1_000_000);
const NAIVE_EVENTS = Number(process.env['NAIVE_EVENTS'] ?? 20_000);
const BATCH = 5000;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (start the local infra: npm run infra:up)`);
  return value;
}

const user = (i: number): UserRecord => ({
  id: `user-${i}`,
  email: `user${i}@example.com`,
  name: `User number ${i}`,
  status: 'active',
  country: ['DE', 'FR', 'GB', 'US', 'JP'][i % 5] as string,
  region: 'europe',
  address_line1: `${i} Main Street`,
  city: 'Berlin',
  postal_code: '10115',
  created_at: '2026-11-25T10:00:00.000Z',
  updated_at: new Date(Date.UTC(2026, 10, 25) + i).toISOString(),
});

const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;
const rate = (events: number, s: number) => Math.round(events / s);

async function main(): Promise<void> {
  const brokers = env('KAFKA_BROKERS').split(',');
  const adminUrl = env('DATABASE_URL');
  const runId = `bench_${Date.now().toString(36)}`;
  const dbName = runId;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  await applyMigrations({ databaseUrl: dbUrl, migrationsDir: path.resolve(__dirname, '../test-support/prisma/migrations') });

  // The local infra's brokers ask for SASL: its env gives the admin principal (KAFKA_SASL_*).
  const security = kafkaSecurityFromEnv();
  const client = new KafkajsClient({ clientId: runId, brokers, security });
  const kafkaAdmin = await client.admin();
  const producer = await client.producer();
  const topic = renameTopic(Topics.users, `${runId}_users`);
  await provisionTopics(kafkaAdmin, [topic]);

  console.log(`producing ${EVENTS} user records to ${topic.name} …`);
  let t = process.hrtime.bigint();
  const events = new EventProducer(producer);
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < EVENTS; i += BATCH) {
    inFlight.push(
      events.send(
        topic,
        Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, j) => ({ key: `user-${i + j}`, value: user(i + j) })),
      ),
    );
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  console.log(`produced in ${seconds(t).toFixed(1)} s`);

  const columns = [
    { name: 'email', type: 'text' as const, from: (u: UserRecord) => u.email },
    { name: 'name', type: 'text' as const, from: (u: UserRecord) => u.name },
    { name: 'country', type: 'text' as const, from: (u: UserRecord) => u.country },
    { name: 'updated_at', type: 'timestamptz' as const, from: (u: UserRecord) => u.updated_at },
  ];

  // A: materializer. First the live build from offset 0, then rebuild(): truncate the view, clear its
  // positions, replay the whole topic. The rebuild is the figure compared with B and C.
  const db = createPgDatabase(dbUrl, { poolSize: 8 });
  const view = changelogTableView({ name: `${runId}_view`, topic, table: 'test_users', keyColumn: 'id', columns });
  const materializer = new Materializer(client, db, kafkaAdmin, new DeadLetterPublisher(producer), view, {
    maxRecordsPerTransaction: BATCH,
  });
  const caughtUp = async () => {
    while (!(await materializer.status()).caughtUp) await new Promise((r) => setTimeout(r, 100));
  };
  const viewRowCount = async () => {
    const [counted] = await db.$queryRawUnsafe<{ count: string }[]>('SELECT count(*)::text AS count FROM test_users');
    return Number(counted?.count);
  };
  t = process.hrtime.bigint();
  await materializer.start();
  await caughtUp();
  const buildSeconds = seconds(t);
  if ((await viewRowCount()) !== EVENTS) throw new Error(`live view has ${await viewRowCount()} rows, expected ${EVENTS}`);
  t = process.hrtime.bigint();
  await materializer.rebuild();
  await caughtUp();
  const materializerSeconds = seconds(t);
  await materializer.stop();
  if ((await viewRowCount()) !== EVENTS) throw new Error(`rebuilt view has ${await viewRowCount()} rows, expected ${EVENTS}`);

  // B: the same rows, straight into PostgreSQL with the same statement shape.
  const pg = new Client({ connectionString: dbUrl });
  await pg.connect();
  await pg.query('TRUNCATE test_users');
  const all = Array.from({ length: EVENTS }, (_, i) => user(i));
  t = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i += BATCH) {
    const rows = all.slice(i, i + BATCH);
    await pg.query('BEGIN');
    await pg.query(
      `INSERT INTO test_users (id, email, name, country, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, country = EXCLUDED.country, updated_at = EXCLUDED.updated_at`,
      [rows.map((u) => u.id), rows.map((u) => u.email), rows.map((u) => u.name), rows.map((u) => u.country), rows.map((u) => u.updated_at)],
    );
    await pg.query('COMMIT');
  }
  const rawSeconds = seconds(t);

  // D: COPY each batch into a staging table, then the same upsert from there.
  await pg.query('TRUNCATE test_users');
  await pg.query('CREATE TEMP TABLE staging (id text, email text, name text, country text, updated_at timestamptz) ON COMMIT DELETE ROWS');
  t = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i += BATCH) {
    const rows = all.slice(i, i + BATCH);
    await pg.query('BEGIN');
    await pipeline(
      Readable.from(rows.map((u) => `${[u.id, u.email, u.name, u.country, u.updated_at].map(copyText).join('\t')}\n`)),
      pg.query(copyFrom('COPY staging FROM STDIN')),
    );
    await pg.query(
      `INSERT INTO test_users (id, email, name, country, updated_at) SELECT * FROM staging
       ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, country = EXCLUDED.country, updated_at = EXCLUDED.updated_at`,
    );
    await pg.query('COMMIT');
  }
  const copySeconds = seconds(t);
  const [copied] = (await pg.query<{ count: string }>('SELECT count(*)::text AS count FROM test_users')).rows;
  if (Number(copied?.count) !== EVENTS) throw new Error(`COPY wrote ${copied?.count} rows, expected ${EVENTS}`);

  // C: the usual approach, one upsert per message through Prisma, offsets committed by kafkajs.
  await pg.query('TRUNCATE test_users');
  const prisma = new PrismaClient({ adapter: createPgAdapter(dbUrl, { poolSize: 8 }) });
  const kafka = new Kafka({
    clientId: `${runId}-naive`,
    brokers,
    logLevel: logLevel.ERROR,
    ssl: security.ssl,
    // One object whatever the mechanism; kafkajs types one per mechanism.
    ...(security.sasl ? { sasl: { ...security.sasl } as SASLOptions } : {}),
  });
  const naive = kafka.consumer({ groupId: `${runId}-naive` });
  await naive.connect();
  await naive.subscribe({ topic: topic.name, fromBeginning: true });
  let seen = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  t = process.hrtime.bigint();
  await naive.run({
    eachMessage: async ({ message }) => {
      if (seen >= NAIVE_EVENTS) return;
      const u = JSON.parse(message.value?.toString() ?? 'null') as UserRecord;
      await prisma.testUser.upsert({
        where: { id: u.id },
        create: { id: u.id, email: u.email, name: u.name, country: u.country, updatedAt: new Date(u.updated_at) },
        update: { email: u.email, name: u.name, country: u.country, updatedAt: new Date(u.updated_at) },
      });
      if (++seen === NAIVE_EVENTS) finish();
    },
  });
  await finished;
  const naiveSeconds = seconds(t);
  await naive.disconnect();

  const a = rate(EVENTS, materializerSeconds);
  const b = rate(EVENTS, rawSeconds);
  const c = rate(NAIVE_EVENTS, naiveSeconds);
  const d = rate(EVENTS, copySeconds);
  console.log('');
  console.log(`  materializer first build ${EVENTS} events in ${buildSeconds.toFixed(1)} s = ${rate(EVENTS, buildSeconds)} events/s`);
  console.log(`A materializer rebuild     ${EVENTS} events in ${materializerSeconds.toFixed(1)} s = ${a} events/s`);
  console.log(`B raw batched upsert       ${EVENTS} rows   in ${rawSeconds.toFixed(1)} s = ${b} rows/s`);
  console.log(`C naive per-message upsert ${NAIVE_EVENTS} events in ${naiveSeconds.toFixed(1)} s = ${c} events/s`);
  console.log(`D COPY + upsert            ${EVENTS} rows   in ${copySeconds.toFixed(1)} s = ${d} rows/s`);
  console.log(`A/B = ${(a / b).toFixed(2)}  (target ≥ 0.75)`);
  console.log(`A/D = ${(a / d).toFixed(2)}, B/D = ${(b / d).toFixed(2)} (D: the database's bulk limit)`);
  console.log(`A/C = ${(a / c).toFixed(1)}x (target ≥ 10x)`);

  await pg.end();
  await prisma.$disconnect();
  await db.$disconnect();
  await kafkaAdmin.deleteTopics([topic.name, `${topic.name}.dlq`]);
  await Promise.all([kafkaAdmin.disconnect(), producer.disconnect()]);
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
  await admin.end();
}

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
