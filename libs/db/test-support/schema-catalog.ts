import type { Client } from 'pg';

/**
 * What a Prisma schema determines about a PostgreSQL schema, read from pg_catalog: tables, columns (type,
 * nullability, default, identity/generated), constraints (primary keys, unique, foreign keys, checks,
 * exclusions), indexes and enums. Entries are canonical strings keyed by object, so two databases compare
 * with a plain diff. Column order and enum label order are ignored (Prisma's own diff ignores them too: an
 * added column or enum value is appended by a migration but ordered by the schema in a fresh database).
 */
export interface CatalogSnapshot {
  tables: Record<string, string>;
  columns: Record<string, string>;
  constraints: Record<string, string>;
  indexes: Record<string, string>;
  enums: Record<string, string>;
}

export interface SnapshotOptions {
  /** PostgreSQL schema to read. Default `public`. */
  schema?: string;
  /** Tables to leave out (with their columns, constraints and indexes). Default: Prisma's migrations table. */
  ignoreTables?: string[];
}

const KINDS: Record<string, string> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' };

export async function snapshotCatalog(client: Client, options: SnapshotOptions = {}): Promise<CatalogSnapshot> {
  const schema = options.schema ?? 'public';
  const ignore = options.ignoreTables ?? ['_prisma_migrations'];
  const params = [schema, ignore];

  const tables = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r','p','v','m','f') AND NOT (c.relname = ANY($2::text[]))`,
    params,
  );
  const columns = await client.query<{
    tbl: string;
    col: string;
    type: string;
    notnull: boolean;
    def: string | null;
    identity: string;
    generated: string;
    collation: string | null;
  }>(
    `SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated,
            CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE n.nspname = $1 AND c.relkind IN ('r','p','v','m','f') AND a.attnum > 0 AND NOT a.attisdropped
        AND NOT (c.relname = ANY($2::text[]))`,
    params,
  );
  const constraints = await client.query<{ tbl: string; name: string; def: string; deferrable: boolean; deferred: boolean }>(
    `SELECT c.relname AS tbl, k.conname AS name, pg_get_constraintdef(k.oid) AS def,
            k.condeferrable AS deferrable, k.condeferred AS deferred
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND k.contype <> 'n' AND NOT (c.relname = ANY($2::text[]))`,
    params,
  );
  const indexes = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT tablename AS tbl, indexname AS name, indexdef AS def
       FROM pg_indexes WHERE schemaname = $1 AND NOT (tablename = ANY($2::text[]))`,
    params,
  );
  const enums = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumlabel) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 GROUP BY t.typname`,
    [schema],
  );

  return {
    tables: Object.fromEntries(tables.rows.map((r) => [r.name, KINDS[r.kind] ?? r.kind])),
    columns: Object.fromEntries(
      columns.rows.map((r) => [
        `${r.tbl}.${r.col}`,
        [
          r.type,
          r.notnull ? 'NOT NULL' : 'NULL',
          r.def !== null ? `DEFAULT ${r.def}` : '',
          r.identity ? `IDENTITY ${r.identity}` : '',
          r.generated ? `GENERATED ${r.generated}` : '',
          r.collation ? `COLLATE ${r.collation}` : '',
        ]
          .filter(Boolean)
          .join(' '),
      ]),
    ),
    constraints: Object.fromEntries(
      constraints.rows.map((r) => [
        `${r.tbl}.${r.name}`,
        `${r.def}${r.deferrable ? ' DEFERRABLE' : ''}${r.deferred ? ' INITIALLY DEFERRED' : ''}`,
      ]),
    ),
    indexes: Object.fromEntries(indexes.rows.map((r) => [`${r.tbl}.${r.name}`, r.def])),
    enums: Object.fromEntries(enums.rows.map((r) => [r.name, r.labels.join(', ')])),
  };
}

/**
 * Differences between the schema expected (`expected`, e.g. built from schema.prisma) and the one found
 * (`actual`, e.g. built by the committed migrations), one readable line each; empty when they match.
 */
export function diffCatalogs(expected: CatalogSnapshot, actual: CatalogSnapshot): string[] {
  const problems: string[] = [];
  const sections: (keyof CatalogSnapshot)[] = ['tables', 'columns', 'constraints', 'indexes', 'enums'];
  for (const section of sections) {
    const want = expected[section];
    const got = actual[section];
    const keys = [...new Set([...Object.keys(want), ...Object.keys(got)])].sort();
    for (const key of keys) {
      const w = want[key];
      const g = got[key];
      if (w === g) continue;
      if (g === undefined) problems.push(`${section}: ${key} is missing (expected: ${w})`);
      else if (w === undefined) problems.push(`${section}: ${key} is unexpected (found: ${g})`);
      else problems.push(`${section}: ${key} differs: expected "${w}", found "${g}"`);
    }
  }
  return problems;
}
