import type { UserRecord } from '@shop/contracts';
import { versionedUsersView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'fraud_user_versions';

/**
 * The `users` changelog as a versioned table (model FraudUserVersion): per user what the fraud rules need
 * (country, created_at; status for operators) in every version, so that an order meets its user as of its
 * verdict's users-as-of position, live and on every rebuild.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return versionedUsersView({
    name: USERS_VIEW,
    topicPrefix,
    table: USERS_VIEW_TABLE,
    fields: ['status', 'country', 'created_at', 'updated_at'],
  });
}
