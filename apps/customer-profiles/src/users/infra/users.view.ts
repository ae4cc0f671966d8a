import type { UserRecord } from '@shop/contracts';
import { usersTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'users_view';

/** The `users` changelog as a table (model UserView): the slice of a user customer-profiles keeps; a tombstone deletes the row. */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return usersTableView({ name: USERS_VIEW, topicPrefix, table: USERS_VIEW_TABLE, fields: ['email', 'name', 'country'] });
}
