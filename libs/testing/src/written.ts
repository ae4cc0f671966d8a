import type { Admin } from '@shop/kafka';
import { Client } from 'pg';

/**
 * What a service has written, to compare before and after requests that must write nothing: every table of
 * its database (row count and a hash of all rows as PostgreSQL renders them) and the high watermarks of its
 * topics (the sum over partitions).
 */
export interface Written {
  readonly tables: Readonly<Record<string, { readonly rows: number; readonly md5: string }>>;
  readonly topics: Readonly<Record<string, string>>;
}

/** Every table of the database's public schema but Prisma's migration log, each with its row count and hash. */
export async function tableFingerprints(databaseUrl: string): Promise<Written['tables']> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'written-check' });
  await client.connect();
  try {
    const names = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
    );
    const tables: Record<string, { rows: number; md5: string }> = {};
    for (const { name } of names.rows) {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const { rows } = await client.query<{ rows: number; md5: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM ${quoted} t`,
      );
      tables[name] = rows[0] ?? { rows: 0, md5: '' };
    }
    return tables;
  } finally {
    await client.end();
  }
}

/** The sum of the high watermarks of each topic whose name starts with `prefix` (a test's topic prefix). */
export async function topicHighWatermarks(admin: Admin, prefix: string): Promise<Written['topics']> {
  const names = (await admin.listTopics()).filter((name) => name.startsWith(prefix)).sort();
  const topics: Record<string, string> = {};
  for (const name of names) {
    topics[name] = (await admin.fetchOffsets(name)).reduce((sum, p) => sum + p.high, 0n).toString();
  }
  return topics;
}

/** Tables and topics of a service now (`admin` absent: a service without Kafka, tables only). */
export async function written(databaseUrl: string, kafka?: { readonly admin: Admin; readonly prefix: string }): Promise<Written> {
  return { tables: await tableFingerprints(databaseUrl), topics: kafka ? await topicHighWatermarks(kafka.admin, kafka.prefix) : {} };
}
