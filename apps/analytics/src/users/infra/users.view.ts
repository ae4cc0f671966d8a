import type { UserRecord } from '@shop/contracts';
import { usersTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'users_view';

/**
 * The `users` changelog as a table (model UserView): the latest region of every user id; a tombstone
 * deletes the row. The verdicts processor reads it for each order's region.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return usersTableView({ name: USERS_VIEW, topicPrefix, table: USERS_VIEW_TABLE, fields: ['region', 'updated_at'] });
}
