/** A user as this service shows it: the latest state the `users` changelog holds for the id. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly status: string;
  readonly country: string;
  readonly region: string;
  readonly address: {
    readonly line1: string | null;
    readonly city: string | null;
    readonly postalCode: string | null;
  };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface UserPage {
  /** Users in the view, all pages together. */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly items: readonly User[];
}
