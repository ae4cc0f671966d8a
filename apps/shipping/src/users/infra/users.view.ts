import type { UserRecord } from '@shop/contracts';
import { usersTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'users_view';

/**
 * The `users` changelog as a table (model UserView): what shipping needs of a user, the recipient's
 * name and email (and the address columns, for support); a tombstone deletes the row.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return usersTableView({
    name: USERS_VIEW,
    topicPrefix,
    table: USERS_VIEW_TABLE,
    fields: ['email', 'name', 'country', 'address_line1', 'city', 'postal_code'],
  });
}
