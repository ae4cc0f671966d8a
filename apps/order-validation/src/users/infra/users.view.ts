import type { UserRecord } from '@shop/contracts';
import { readUsersAsOf, versionedUsersView, type AsOfRequest, type MaterializedView, type SqlExecutor } from '@shop/kafka';
import type { UserSnapshot } from '../../orders/domain/order-rules';

/** Name of the view: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const USERS_VIEW = 'users';
export const USERS_VIEW_TABLE = 'user_versions';

/**
 * The `users` changelog as a versioned table (model UserVersion in prisma/schema.prisma): every change of a
 * user with the offset it became current at, so that an order is judged against the user as of the order's
 * `users-as-of` position, live and on every rebuild.
 */
export function usersView(topicPrefix: string): MaterializedView<UserRecord> {
  return versionedUsersView({
    name: USERS_VIEW,
    topicPrefix,
    table: USERS_VIEW_TABLE,
    fields: ['email', 'name', 'status', 'country', 'region', 'address_line1', 'city', 'postal_code', 'created_at', 'updated_at'],
  });
}

/** The user of each request as of its position (undefined: unknown then), aligned with `requests`, in one query. */
export async function readUserSnapshots(tx: SqlExecutor, requests: readonly AsOfRequest[]): Promise<(UserSnapshot | undefined)[]> {
  const rows = await readUsersAsOf(tx, USERS_VIEW_TABLE, requests, ['status', 'country', 'address_line1', 'city', 'postal_code']);
  return rows.map((r, i) =>
    r === undefined
      ? undefined
      : {
          id: (requests[i] as AsOfRequest).key,
          status: r.status,
          country: r.country,
          addressLine1: r.address_line1,
          city: r.city,
          postalCode: r.postal_code,
        },
  );
}
