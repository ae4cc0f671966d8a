import type { TopicDefinition } from '@shop/contracts';
import type { MaterializedView, ViewRecord } from './materializer';
import type { SqlExecutor } from './sql-executor';

/** PostgreSQL array element types the changelog table can bind (values are passed as text and cast). */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'timestamptz' | 'jsonb' | 'numeric';

export interface ChangelogColumn<TValue> {
  readonly name: string;
  readonly type: ColumnType;
  /** Extracts the column's value from a record; null is SQL NULL. */
  readonly from: (value: TValue, key: string) => string | number | boolean | bigint | Date | null | object;
}

export interface ChangelogTableOptions<TValue> {
  readonly name: string;
  readonly topic: TopicDefinition<TValue>;
  readonly table: string;
  /** Primary-key column that holds the record key. */
  readonly keyColumn: string;
  readonly columns: readonly ChangelogColumn<TValue>[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Table and column names are spliced into SQL: only plain lower-case identifiers are accepted. */
export function assertPlainIdentifiers(identifiers: readonly string[]): void {
  for (const identifier of identifiers) {
    if (!IDENTIFIER.test(identifier)) throw new Error(`not a plain SQL identifier: ${identifier}`);
  }
}

export function toText(value: ReturnType<ChangelogColumn<unknown>['from']>): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The latest record per key, in first-seen order: within a batch only the last change of a key counts. */
export function latestPerKey<TValue>(records: readonly ViewRecord<TValue>[]): ViewRecord<TValue>[] {
  const latest = new Map<string, ViewRecord<TValue>>();
  for (const record of records) latest.set(record.key, record);
  return [...latest.values()];
}

/**
 * A KTable: the newest value of every key of a changelog topic as a row, a tombstone deletes the row.
 * A batch becomes at most two statements: one DELETE … = ANY($1) and one INSERT … SELECT FROM
 * unnest(…) ON CONFLICT DO UPDATE.
 */
export function changelogTableView<TValue>(options: ChangelogTableOptions<TValue>): MaterializedView<TValue> {
  const { table, keyColumn, columns } = options;
  assertPlainIdentifiers([table, keyColumn, ...columns.map((c) => c.name)]);
  const allColumns = [keyColumn, ...columns.map((c) => c.name)];
  const unnestArgs = [`$1::text[]`, ...columns.map((c, i) => `$${i + 2}::${c.type}[]`)].join(', ');
  const updates = columns.map((c) => `${c.name} = EXCLUDED.${c.name}`).join(', ');
  const upsertSql =
    `INSERT INTO ${table} (${allColumns.join(', ')}) ` +
    `SELECT * FROM unnest(${unnestArgs}) ` +
    `ON CONFLICT (${keyColumn}) DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}`;
  const deleteSql = `DELETE FROM ${table} WHERE ${keyColumn} = ANY($1::text[])`;

  return {
    name: options.name,
    topic: options.topic,
    ordering: 'latest-wins',
    async apply(tx: SqlExecutor, records: readonly ViewRecord<TValue>[]): Promise<void> {
      const latest = latestPerKey(records);
      const deletes = latest.filter((r) => r.value === null).map((r) => r.key);
      const upserts = latest.filter((r): r is ViewRecord<TValue> & { value: TValue } => r.value !== null);
      if (deletes.length > 0) await tx.$executeRawUnsafe(deleteSql, deletes);
      if (upserts.length > 0) {
        const arrays = columns.map((c) => upserts.map((r) => toText(c.from(r.value, r.key))));
        await tx.$executeRawUnsafe(
          upsertSql,
          upserts.map((r) => r.key),
          ...arrays,
        );
      }
    },
    async reset(tx: SqlExecutor): Promise<void> {
      await tx.$executeRawUnsafe(`TRUNCATE ${table}`);
    },
  };
}
