/**
 * The local infra's PostgreSQL (what `npm start` and the tests run on) gives every service database a role of its
 * own: a service connects as it, owns its database, is no superuser, and every other service's database refuses
 * it. Runs when the tests' database is the local infra's (CI, `npm test` on a machine without Docker).
 */
import { Client } from 'pg';
import { testInfra } from '@shop/testing';
import { infraCli } from './workspace';

interface LocalInfo {
  readonly postgresUrl: string;
  readonly databases: readonly string[];
  readonly databaseUrls: Readonly<Record<string, string>>;
}

/** Whether the tests' PostgreSQL (DATABASE_URL) is the local infra's, by host and port. */
const configured = (JSON.parse(infraCli(['status', '--json'])) as { info: LocalInfo }).info;
const databaseUrl = process.env['DATABASE_URL'];
const onLocalInfra = databaseUrl !== undefined && new URL(databaseUrl).port === new URL(configured.postgresUrl).port;

async function connectAs(url: string): Promise<{ client?: Client; error?: { code?: string; message: string } }> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { client };
  } catch (error) {
    await client.end().catch(() => undefined);
    return { error: error as { code?: string; message: string } };
  }
}

(onLocalInfra ? describe : describe.skip)('local infra: one PostgreSQL role per service database', () => {
  let info: LocalInfo;

  beforeAll(() => {
    // `ensure postgres` is idempotent: it (re)applies the roles, as `npm start` and `infra:up` do.
    info = (JSON.parse(infraCli(['ensure', 'postgres', '--json'])) as { info: LocalInfo }).info;
    expect(new URL(info.postgresUrl).host).toBe(new URL(testInfra().adminDatabaseUrl).host);
  }, 120_000);

  it('each service connects to its own database as its own role, without superuser rights', async () => {
    const found: Record<string, unknown> = {};
    for (const db of info.databases) {
      const { client, error } = await connectAs(info.databaseUrls[db] as string);
      if (!client) {
        found[db] = `refused: ${error?.code} ${error?.message}`;
        continue;
      }
      try {
        const { rows } = await client.query<{ user: string; owner: string; rolsuper: boolean; rolcreatedb: boolean }>(
          `SELECT current_user AS user, pg_get_userbyid(d.datdba) AS owner, r.rolsuper, r.rolcreatedb
             FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = current_user`,
        );
        found[db] = rows[0];
      } finally {
        await client.end();
      }
    }
    expect(found).toEqual(
      Object.fromEntries(info.databases.map((db) => [db, { user: db, owner: db, rolsuper: false, rolcreatedb: false }])),
    );
  });

  it("shipping's role cannot connect to order-validation's database, nor any role to another service's", async () => {
    expect(info.databases).toEqual(expect.arrayContaining(['shipping', 'order_validation']));
    const admitted: string[] = [];
    const refusals = new Set<string>();
    for (const as of info.databases) {
      for (const db of info.databases.filter((d) => d !== as)) {
        const { client, error } = await connectAs(new URL(`/${db}`, info.databaseUrls[as]).toString());
        if (client) {
          admitted.push(`${as} → ${db}`);
          await client.end();
        } else refusals.add(`${error?.code} ${error?.message.replace(db, '<db>')}`);
      }
    }
    expect(admitted).toEqual([]);
    expect([...refusals]).toEqual(['42501 permission denied for database "<db>"']);
  });
});
