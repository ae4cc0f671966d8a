import type { TopicDefinition, UsersAsOf } from '@shop/contracts';
import { assertPlainIdentifiers, toText, type ChangelogColumn } from './changelog-table.view';
import type { MaterializedView, ViewRecord } from './materializer';
import type { SqlExecutor } from './sql-executor';

export interface VersionedTableOptions<TValue> {
  readonly name: string;
  readonly topic: TopicDefinition<TValue>;
  /**
   * Columns `<keyColumn> text, from_offset bigint, partition integer, from_ms bigint, deleted boolean` and one
   * nullable column per entry of `columns`; primary key (<keyColumn>, from_offset).
   */
  readonly table: string;
  readonly keyColumn: string;
  readonly columns: readonly ChangelogColumn<TValue>[];
  /**
   * How long a replaced version is kept after the version that replaced it became current (by record
   * timestamps). Keep it equal to the topic's min.compaction.lag.ms, so that a rebuild finds the same history.
   */
  readonly historyMs: number;
}

/** One lookup: the row of `key` as of a position of the table's topic. */
export interface AsOfRequest {
  readonly key: string;
  readonly asOf: UsersAsOf;
}

/**
 * A versioned KTable (as Kafka Streams' versioned stores, KIP-889): every record of a changelog topic is a
 * version of its key, current from the record's offset (and timestamp) until the key's next record; a
 * tombstone is a version that says "deleted". A join reads a key as of a position of the topic
 * (readVersionsAsOf), so it picks the same version however late, or however many times, it runs.
 *
 * A batch is one INSERT … SELECT FROM unnest(…) ON CONFLICT (key, from_offset) DO NOTHING: a record applied
 * again lands on its own offset and changes nothing. (Its dead letters are still refused a replay, as for every
 * view of a compacted topic: rebuild it instead.) Versions replaced
 * more than `historyMs` before the newest record of the batch are deleted in the same transaction.
 */
export function versionedTableView<TValue>(options: VersionedTableOptions<TValue>): MaterializedView<TValue> {
  const { table, keyColumn, columns, historyMs } = options;
  assertPlainIdentifiers([table, keyColumn, ...columns.map((c) => c.name)]);
  const unnestArgs = [
    '$1::text[]',
    '$2::bigint[]',
    '$3::integer[]',
    '$4::bigint[]',
    '$5::boolean[]',
    ...columns.map((c, i) => `$${i + 6}::${c.type}[]`),
  ].join(', ');
  const insertSql =
    `INSERT INTO ${table} (${[keyColumn, 'from_offset', 'partition', 'from_ms', 'deleted', ...columns.map((c) => c.name)].join(', ')}) ` +
    `SELECT * FROM unnest(${unnestArgs}) ON CONFLICT (${keyColumn}, from_offset) DO NOTHING`;
  const pruneSql =
    `DELETE FROM ${table} v WHERE v.${keyColumn} = ANY($1::text[]) AND EXISTS (` +
    `SELECT 1 FROM ${table} s WHERE s.${keyColumn} = v.${keyColumn} AND s.from_offset > v.from_offset AND s.from_ms < $2::bigint)`;

  return {
    name: options.name,
    topic: options.topic,
    async apply(tx: SqlExecutor, records: readonly ViewRecord<TValue>[]): Promise<void> {
      if (records.length === 0) return;
      const arrays = columns.map((c) => records.map((r) => (r.value === null ? null : toText(c.from(r.value, r.key)))));
      await tx.$executeRawUnsafe(
        insertSql,
        records.map((r) => r.key),
        records.map((r) => r.offset.toString()),
        records.map((r) => String(r.partition)),
        records.map((r) => String(r.timestamp)),
        records.map((r) => String(r.value === null)),
        ...arrays,
      );
      const newest = records.reduce((max, r) => Math.max(max, r.timestamp), 0);
      await tx.$executeRawUnsafe(pruneSql, [...new Set(records.map((r) => r.key))], String(newest - historyMs));
    },
    async reset(tx: SqlExecutor): Promise<void> {
      await tx.$executeRawUnsafe(`TRUNCATE ${table}`);
    },
  };
}

/**
 * For each request, the key's version as of its position in a versioned table (versionedTableView), with the
 * columns in `select`, aligned with `requests` (undefined: no version then, or a tombstone). One statement.
 * Watermarks: the latest version below the watermark of the version's partition (the key's partition; a
 * partition the watermarks do not cover has none). A timestamp: the latest version stamped at or before it.
 */
export async function readVersionsAsOf<TRow extends Record<string, unknown>>(
  tx: SqlExecutor,
  table: { readonly table: string; readonly keyColumn: string },
  requests: readonly AsOfRequest[],
  select: readonly string[],
): Promise<(TRow | undefined)[]> {
  assertPlainIdentifiers([table.table, table.keyColumn, ...select]);
  if (requests.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<(Record<string, unknown> & { n: number })[]>(
    `SELECT r.n${select.map((c) => `, v.${c}`).join('')}
       FROM unnest($1::integer[], $2::text[], $3::text[], $4::bigint[]) AS r(n, key, watermarks, at_ms)
       JOIN LATERAL (
         SELECT * FROM ${table.table} t
          WHERE t.${table.keyColumn} = r.key
            AND CASE WHEN r.watermarks IS NULL THEN t.from_ms <= r.at_ms
                     ELSE t.from_offset < (r.watermarks::bigint[])[t.partition + 1] END
          ORDER BY t.from_offset DESC LIMIT 1
       ) v ON true
      WHERE NOT v.deleted`,
    requests.map((_, i) => String(i)),
    requests.map((r) => r.key),
    requests.map((r) => (r.asOf.kind === 'watermarks' ? `{${r.asOf.watermarks.join(',')}}` : null)),
    requests.map((r) => (r.asOf.kind === 'timestamp' ? String(r.asOf.timestamp) : null)),
  );
  const result: (TRow | undefined)[] = requests.map(() => undefined);
  for (const { n, ...row } of rows) result[Number(n)] = row as TRow;
  return result;
}
