import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { changelogTableView } from './changelog-table.view';
import type { MaterializedView } from './materializer';

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
    columns: options.fields.map((field) => ({
      name: field,
      type: TIMESTAMP_FIELDS.has(field) ? 'timestamptz' : 'text',
      from: (user: UserRecord) => user[field],
    })),
  });
}
