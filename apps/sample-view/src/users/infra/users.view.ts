import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { changelogTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'users_view';

/**
 * The `users` changelog as a table (model UserView in prisma/schema.prisma): one row per user id with
 * the latest record; a tombstone deletes the row. The record key is the id.
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
      { name: 'status', type: 'text', from: (u) => u.status },
      { name: 'country', type: 'text', from: (u) => u.country },
      { name: 'region', type: 'text', from: (u) => u.region },
      { name: 'address_line1', type: 'text', from: (u) => u.address_line1 },
      { name: 'city', type: 'text', from: (u) => u.city },
      { name: 'postal_code', type: 'text', from: (u) => u.postal_code },
      { name: 'created_at', type: 'timestamptz', from: (u) => u.created_at },
      { name: 'updated_at', type: 'timestamptz', from: (u) => u.updated_at },
    ],
  });
}
