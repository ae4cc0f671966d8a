import { Topics, USERS_HISTORY_MS, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { changelogTableView, type ChangelogColumn } from './changelog-table.view';
import type { MaterializedView } from './materializer';
import type { SqlExecutor } from './sql-executor';
import { readVersionsAsOf, versionedTableView, type AsOfRequest } from './versioned-table.view';

/** A field of the CDC user record; its column in a users view has the same name. */
export type UserField = Exclude<keyof UserRecord, 'id'>;

const TIMESTAMP_FIELDS: ReadonlySet<UserField> = new Set<UserField>(['created_at', 'updated_at']);

export interface UsersTableViewOptions {
  /** View name (positions, consumer group suffix); usually 'users'. */
  readonly name: string;
  readonly topicPrefix: string;
  /** Table with an `id` text primary key and one column per field, named like the field. */
  readonly table: string;
  /** The fields this service needs: each service keeps only its own slice of the users table. */
  readonly fields: readonly UserField[];
}

/**
 * The `users` changelog as a table in a service's own database: the latest record of every user id, a
 * tombstone deletes the row. Timestamps are stored as timestamptz, everything else as text.
 */
export function usersTableView(options: UsersTableViewOptions): MaterializedView<UserRecord> {
  return changelogTableView<UserRecord>({
    name: options.name,
    topic: withTopicPrefix(Topics.users, options.topicPrefix),
    table: options.table,
    keyColumn: 'id',
    columns: userColumns(options.fields),
  });
}

function userColumns(fields: readonly UserField[]): ChangelogColumn<UserRecord>[] {
  return fields.map((field) => ({
    name: field,
    type: TIMESTAMP_FIELDS.has(field) ? 'timestamptz' : 'text',
    from: (user: UserRecord) => user[field],
  }));
}

/**
 * The `users` changelog as a versioned table (versionedTableView): every change of a user kept with the offset
 * and timestamp it became current at, for the services that join orders with users. A join reads each user as
 * of the order's `users-as-of` position (readUsersAsOf), so live processing and every rebuild pick the same version. Superseded
 * versions are kept USERS_HISTORY_MS, as long as the topic keeps them. The table (`table`) has `id`,
 * `from_offset`, `partition`, `from_ms`, `deleted` and one nullable column per field.
 */
export function versionedUsersView(options: UsersTableViewOptions): MaterializedView<UserRecord> {
  return versionedTableView<UserRecord>({
    name: options.name,
    topic: withTopicPrefix(Topics.users, options.topicPrefix),
    table: options.table,
    keyColumn: 'id',
    columns: userColumns(options.fields),
    historyMs: USERS_HISTORY_MS,
  });
}

/** A user version as read back: the timestamps come as Dates (timestamptz columns). */
export type UserVersionRow<TField extends UserField> = { [K in TField]: K extends 'created_at' | 'updated_at' ? Date : UserRecord[K] };

/** Each request's user as of its position in a versioned users view's `table`, with `fields` (see readVersionsAsOf). */
export function readUsersAsOf<TField extends UserField>(
  tx: SqlExecutor,
  table: string,
  requests: readonly AsOfRequest[],
  fields: readonly TField[],
): Promise<(UserVersionRow<TField> | undefined)[]> {
  return readVersionsAsOf<UserVersionRow<TField>>(tx, { table, keyColumn: 'id' }, requests, fields);
}
