import type { UserRecord } from '@shop/contracts';
import { versionedUsersView, type MaterializedView } from '@shop/kafka';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'user_versions';

/**
 * The `users` changelog as a versioned table (model UserVersion): what shipping needs of a user, the
 * recipient's name and email (and the address columns, for support), in every version, so that a shipment
 * names the recipient as of its verdict's users-as-of position, live and on every rebuild.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return versionedUsersView({
    name: USERS_VIEW,
    topicPrefix,
    table: USERS_VIEW_TABLE,
    fields: ['email', 'name', 'country', 'address_line1', 'city', 'postal_code'],
  });
}
