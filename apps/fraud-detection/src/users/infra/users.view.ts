import { Topics, withTopicPrefix, type UserRecord } from '@shop/contracts';
import { changelogTableView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'fraud_users';

/**
 * The `users` changelog as a table (model FraudUser): per user id what the fraud rules need of the latest
 * record (country, created_at; status for operators); a tombstone deletes the row.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return changelogTableView<UserRecord>({
    name: USERS_VIEW,
    topic: withTopicPrefix(Topics.users, topicPrefix),
    table: USERS_VIEW_TABLE,
    keyColumn: 'id',
    columns: [
      { name: 'status', type: 'text', from: (u) => u.status },
      { name: 'country', type: 'text', from: (u) => u.country },
      { name: 'created_at', type: 'timestamptz', from: (u) => u.created_at },
      { name: 'updated_at', type: 'timestamptz', from: (u) => u.updated_at },
    ],
  });
}
