import type { UserRecord } from '@shop/contracts';
import { usersTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'users_view';

/**
 * The `users` changelog as a table (model UserView in prisma/schema.prisma): one row per user id with
 * the latest record; a tombstone deletes the row. The record key is the id.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return usersTableView({
    name: USERS_VIEW,
    topicPrefix,
    table: USERS_VIEW_TABLE,
    fields: ['email', 'name', 'status', 'country', 'region', 'address_line1', 'city', 'postal_code', 'created_at', 'updated_at'],
  });
}
