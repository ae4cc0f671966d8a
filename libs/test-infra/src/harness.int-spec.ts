import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { createTestDatabase, testInfra, uniqueName, waitUntil } from './index';

describe('test harness (real broker, real database)', () => {
  it('gives a Kafka broker: create a topic, produce and consume one message', async () => {
    const { kafkaBrokers, kafkaEnv } = testInfra();
    // The local infra's listener asks for SASL PLAIN: the harness hands its admin principal on (plain kafkajs here).
    const username = kafkaEnv['KAFKA_SASL_USERNAME'];
    const password = kafkaEnv['KAFKA_SASL_PASSWORD'];
    const sasl =
      kafkaEnv['KAFKA_SASL_MECHANISM'] === 'plain' && username && password
        ? { mechanism: 'plain' as const, username, password }
        : undefined;
    const kafka = new Kafka({ clientId: uniqueName('harness'), brokers: kafkaBrokers, logLevel: logLevel.WARN, ...(sasl ? { sasl } : {}) });
    const topic = uniqueName('harness_topic');
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    // disconnect() waits for the fetch in flight, a long poll of up to maxWaitTimeInMs (kafkajs default 5 s).
    const consumer = kafka.consumer({ groupId: uniqueName('harness_group'), maxWaitTimeInMs: 200 });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      expect(await admin.listTopics()).toContain(topic);

      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k-1', value: 'hello' }] });

      const received: { key: string; value: string }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
        },
      });
      await waitUntil(() => received.length > 0, { description: `one message on ${topic}`, timeoutMs: 30_000 });
      expect(received).toEqual([{ key: 'k-1', value: 'hello' }]);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('gives a PostgreSQL server: a fresh database per test, dropped afterwards', async () => {
    const db = await createTestDatabase('harness');
    expect(db.name).toMatch(/^harness_/);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)');
      await client.query('INSERT INTO item (id, name) VALUES ($1, $2)', [1, 'book']);
      const { rows } = await client.query<{ id: number; name: string }>('SELECT id, name FROM item');
      expect(rows).toEqual([{ id: 1, name: 'book' }]);
      const { rows: settings } = await client.query<{ wal_level: string }>('SHOW wal_level');
      expect(settings[0]?.wal_level).toBe('logical');
    } finally {
      await client.end();
    }
    await db.drop();
    await db.drop(); // idempotent

    const admin = new Client({ connectionString: testInfra().adminDatabaseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
      expect(rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('gives a database its own role, as a deployed service has: owner of its database, refused by every other', async () => {
    const shipping = await createTestDatabase('shipping', { ownRole: true });
    const orders = await createTestDatabase('order_validation', { ownRole: true });
    try {
      expect(shipping.role).toBe(shipping.name);
      const own = new Client({ connectionString: shipping.url });
      await own.connect();
      try {
        // It can build its schema in its own database (migrations run as this role), and is nothing more.
        await own.query('CREATE TABLE shipment (id int PRIMARY KEY)');
        const { rows } = await own.query<{ user: string; rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }>(
          'SELECT current_user AS user, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user',
        );
        expect(rows).toEqual([{ user: shipping.role, rolsuper: false, rolcreatedb: false, rolcreaterole: false }]);
        await expect(own.query('CREATE DATABASE not_allowed')).rejects.toMatchObject({ code: '42501' });
      } finally {
        await own.end();
      }
      // Shipping's credentials, order-validation's database: refused at connect (CONNECT is revoked from PUBLIC).
      const other = new Client({ connectionString: new URL(`/${orders.name}`, shipping.url).toString() });
      other.on('error', () => undefined);
      await expect(other.connect()).rejects.toMatchObject({
        code: '42501',
        message: expect.stringMatching(/permission denied for database/),
      });
      await other.end().catch(() => undefined);
    } finally {
      await shipping.drop();
      await orders.drop();
    }
    const admin = new Client({ connectionString: testInfra().adminDatabaseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = ANY($1)', [[shipping.role, orders.role]]);
      expect(rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
