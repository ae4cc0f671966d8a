import type { UserRecord } from '@shop/contracts';
import { usersTableView, type MaterializedView, type SqlExecutor } from '@shop/kafka';
import type { UserSnapshot } from '../../orders/domain/order-rules';

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

interface UserRow {
  id: string;
  status: string;
  country: string;
  address_line1: string | null;
  city: string | null;
  postal_code: string | null;
}

/** The users of `ids` as the view holds them, in one query (inside the caller's transaction). */
export async function readUserSnapshots(tx: SqlExecutor, ids: readonly string[]): Promise<Map<string, UserSnapshot>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<UserRow[]>(
    `SELECT id, status, country, address_line1, city, postal_code FROM ${USERS_VIEW_TABLE} WHERE id = ANY($1::text[])`,
    [...ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, status: r.status, country: r.country, addressLine1: r.address_line1, city: r.city, postalCode: r.postal_code },
    ]),
  );
}
