import type { UserRecord } from '@shop/contracts';
import { versionedUsersView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'user_versions';

/**
 * The `users` changelog as a versioned table (model UserVersion): the region of every user in every version.
 * The verdicts processor reads each order's region as of the verdict's users-as-of position.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return versionedUsersView({ name: USERS_VIEW, topicPrefix, table: USERS_VIEW_TABLE, fields: ['region', 'updated_at'] });
}
