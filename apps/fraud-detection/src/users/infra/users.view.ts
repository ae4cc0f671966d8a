import type { UserRecord } from '@shop/contracts';
import { usersTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'fraud_users';

/**
 * The `users` changelog as a table (model FraudUser): per user id what the fraud rules need of the latest
 * record (country, created_at; status for operators); a tombstone deletes the row.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return usersTableView({
    name: USERS_VIEW,
    topicPrefix,
    table: USERS_VIEW_TABLE,
    fields: ['status', 'country', 'created_at', 'updated_at'],
  });
}
