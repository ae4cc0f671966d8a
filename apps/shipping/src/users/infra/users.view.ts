import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { changelogTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'users_view';

/**
 * The `users` changelog as a table (model UserView): what shipping needs of a user, the recipient's
 * name and email (and the address columns, for support); a tombstone deletes the row.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return changelogTableView<UserRecord>({
    name: USERS_VIEW,
    topic: withTopicPrefix(Topics.users, topicPrefix),
    table: USERS_VIEW_TABLE,
    keyColumn: 'id',
    columns: [
      { name: 'email', type: 'text', from: (u) => u.email },
      { name: 'name', type: 'text', from: (u) => u.name },
      { name: 'country', type: 'text', from: (u) => u.country },
      { name: 'address_line1', type: 'text', from: (u) => u.address_line1 },
      { name: 'city', type: 'text', from: (u) => u.city },
      { name: 'postal_code', type: 'text', from: (u) => u.postal_code },
    ],
  });
}
