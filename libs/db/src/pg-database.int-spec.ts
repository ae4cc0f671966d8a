import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, waitUntil, type TestDatabase } from '@shop/test-infra';
import { createPgDatabase, TransactionTimeoutError, type PgDatabase } from './index';

describe('PgDatabase (node-postgres transactions for the views)', () => {
  let db: TestDatabase;
  let pg: PgDatabase;
  const poolErrors: Error[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('pgdb');
    pg = createPgDatabase(db.url, { poolSize: 2, onPoolError: (error) => poolErrors.push(error) });
    await pg.$executeRawUnsafe('CREATE TABLE t (id text PRIMARY KEY, n bigint NOT NULL)');
  });
  afterAll(async () => {
    await pg?.$disconnect();
    await db?.drop();
  });

  const count = async () => Number((await pg.$queryRawUnsafe<{ n: string }[]>('SELECT count(*)::text AS n FROM t'))[0]?.n);

  it('commits what the function wrote, with the rows and counts of node-postgres', async () => {
    const result = await pg.$transaction(async (tx) => {
      const inserted = await tx.$executeRawUnsafe('INSERT INTO t SELECT * FROM unnest($1::text[], $2::bigint[])', ['a', 'b'], ['1', '2']);
      const rows = await tx.$queryRawUnsafe<{ id: string; n: string }[]>('SELECT id, n FROM t ORDER BY id');
      return { inserted, rows };
    });
    expect(result).toEqual({
      inserted: 2,
      rows: [
        { id: 'a', n: '1' },
        { id: 'b', n: '2' },
      ],
    });
    expect(await count()).toBe(2);
  });

  it('sends a first statement without parameters with its BEGIN, inside the transaction', async () => {
    const sent: string[] = [];
    const spy = createPgDatabase(db.url, { poolSize: 1 });
    const pool = (spy as unknown as { pool: import('pg').Pool }).pool;
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
      (client as unknown as { query: typeof query }).query = (text, values) => {
        sent.push(text.split('\n')[0] ?? '');
        return query(text, values);
      };
    });
    try {
      await expect(
        spy.$transaction(async (tx) => {
          const rows = await tx.$queryRawUnsafe<{ id: string }[]>(`INSERT INTO t VALUES ('z', 26) RETURNING id`);
          expect(rows).toEqual([{ id: 'z' }]);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(sent).toEqual(['BEGIN;', 'ROLLBACK']);
      expect(await count()).toBe(2); // the INSERT was inside the transaction

      sent.length = 0;
      await spy.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SELECT $1::int', 1);
        await tx.$executeRawUnsafe('SELECT 2');
      });
      expect(sent).toEqual(['BEGIN', 'SELECT $1::int', 'SELECT 2', 'COMMIT']);
    } finally {
      await spy.$disconnect();
    }
  });

  it('rolls back when the function throws, and the connection serves again', async () => {
    await expect(
      pg.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO t VALUES ('c', 3)`);
        throw new Error('view refused');
      }),
    ).rejects.toThrow('view refused');
    // A failed statement aborts the transaction: rolled back too, with PostgreSQL's SQLSTATE on the error.
    await expect(pg.$transaction((tx) => tx.$executeRawUnsafe(`INSERT INTO t VALUES ('a', 9)`))).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(2);
    // Both pooled connections are usable afterwards (neither was left inside a transaction).
    await Promise.all([1, 2].map(() => pg.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1'))));
  });

  it('rolls back a transaction that outlives its timeout, even one waiting on a lock', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`UPDATE t SET n = 10 WHERE id = 'a'`);
      const started = Date.now();
      await expect(
        pg.$transaction(
          async (tx) => {
            await tx.$executeRawUnsafe(`INSERT INTO t VALUES ('d', 4)`);
            await tx.$executeRawUnsafe(`UPDATE t SET n = 11 WHERE id = 'a'`); // waits for holder's row lock
          },
          { timeout: 300 },
        ),
      ).rejects.toBeInstanceOf(TransactionTimeoutError);
      expect(Date.now() - started).toBeLessThan(5_000);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    expect(await pg.$queryRawUnsafe('SELECT id, n::text AS n FROM t ORDER BY id')).toEqual([
      { id: 'a', n: '10' },
      { id: 'b', n: '2' },
    ]);
  });

  it('fails the transaction, not the process, when its connection is lost between two statements', () => {
    // In a process of its own: an unhandled 'error' event of a checked-out client would end it.
    const script = `
      const { createPgDatabase } = require(${JSON.stringify(path.join(__dirname, 'pg-database.ts'))});
      const { Client } = require('pg');
      (async () => {
        const pg = createPgDatabase(process.env.DB_URL, { poolSize: 1 });
        let client;
        pg.pool.on('connect', (c) => (client = c));
        const admin = new Client({ connectionString: process.env.DB_URL });
        await admin.connect();
        const outcome = await pg.$transaction(async (tx) => {
          const [me] = await tx.$queryRawUnsafe('SELECT pg_backend_pid() AS pid');
          const closed = new Promise((resolve) => client.once('end', resolve));
          await admin.query('SELECT pg_terminate_backend($1)', [me.pid]);
          // The client hears of it while no statement runs (its 'error' event, then 'end'); the next statement fails.
          await closed;
          await tx.$queryRawUnsafe('SELECT 1');
        }).then(() => 'committed', (error) => 'rejected: ' + error.message);
        const after = await pg.$queryRawUnsafe('SELECT 1 AS one');
        console.log(JSON.stringify({ outcome, after }));
        await admin.end();
        await pg.$disconnect();
      })();`;
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: path.join(__dirname, '../../..'),
      env: { ...process.env, DB_URL: db.url },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ outcome: expect.stringMatching(/^rejected: /), after: [{ one: 1 }] });
  });

  it('survives the server closing its idle connections', async () => {
    await Promise.all([1, 2].map(() => pg.$transaction((tx) => tx.$queryRawUnsafe('SELECT pg_sleep(0.05)'))));
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
    } finally {
      await admin.end();
    }
    // Reported, not thrown (an unhandled 'error' event would end the process), and the pool connects anew.
    await waitUntil(() => poolErrors.length === 2, { description: 'both idle connections reported broken' });
    expect(await count()).toBe(2);
  });
});
