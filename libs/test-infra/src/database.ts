import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testInfra } from './infra';
import { uniqueName } from './unique-name';

export interface TestDatabase {
  /** Connection URL of the new database: as its own role (ownRole), else with the admin URL's credentials. */
  url: string;
  /** The same database as the admin (superuser work a service must not be able to do, e.g. replication slots). */
  adminUrl: string;
  name: string;
  /** The role that owns the database (ownRole), else undefined. */
  role: string | undefined;
  /** Drops the database (disconnecting whoever is still connected) and its role. Safe to call twice. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * Connect as a role of its own, as a deployed service does: it owns this database (and, through PostgreSQL's
   * pg_database_owner, its public schema), may connect to no other database (CONNECT is revoked from PUBLIC),
   * and is no superuser. Named like the database.
   */
  readonly ownRole?: boolean;
  /** The own role may also stream the database's changes (REPLICATION: the monolith, read by Debezium as it). */
  readonly replication?: boolean;
}

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string, credentials?: { user: string; password: string }): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  if (credentials) {
    u.username = encodeURIComponent(credentials.user);
    u.password = encodeURIComponent(credentials.password);
  }
  return u.toString();
}

/** Creates an empty database with a unique name on the test server (see testInfra()). */
export async function createTestDatabase(prefix = 'test', options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { adminDatabaseUrl } = testInfra();
  const name = uniqueName(prefix);
  const role = options.ownRole ? name : undefined;
  const password = randomBytes(18).toString('hex');
  await withAdmin(adminDatabaseUrl, async (client) => {
    const db = client.escapeIdentifier(name);
    if (role === undefined) {
      await client.query(`CREATE DATABASE ${db}`);
      return;
    }
    const r = client.escapeIdentifier(role);
    await client.query(`CREATE ROLE ${r} LOGIN ${options.replication ? 'REPLICATION' : ''} PASSWORD '${password}'`);
    await client.query(`CREATE DATABASE ${db} OWNER ${r}`);
    await client.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
  });
  const adminUrl = withDatabase(adminDatabaseUrl, name);
  return {
    url: role === undefined ? adminUrl : withDatabase(adminDatabaseUrl, name, { user: role, password }),
    adminUrl,
    name,
    role,
    drop: async () => {
      await withAdmin(adminDatabaseUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
        if (role !== undefined) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
      });
    },
  };
}
