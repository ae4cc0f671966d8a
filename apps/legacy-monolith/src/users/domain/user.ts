import type { UserRecord } from '@shop/contracts';

/**
 * A user as the monolith stores and serves it: exactly the `users` row, which CDC publishes as a UserRecord
 * (snake_case, ISO-8601 timestamps). The HTTP API speaks the same shape, so API, table and topic agree.
 */
export type User = UserRecord;
export type UserStatus = User['status'];

export interface UserPage {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly items: User[];
}
