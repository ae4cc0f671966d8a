/**
 * Pure: which columns of the monolith's `users` table each service keeps in its users view (its own
 * prisma/schema.prisma), and the exact comparison of a view with the table projected to those columns.
 */

export const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'status',
  'country',
  'region',
  'address_line1',
  'city',
  'postal_code',
  'created_at',
  'updated_at',
] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];

export interface UsersViewTable {
  /** The table in the service's database. */
  readonly table: string;
  /** Its columns, named as in the monolith's table (snake_case on both sides). */
  readonly columns: readonly UserColumn[];
  /** Every version of every user (versionedUsersView): the current rows are each id's latest, unless deleted. */
  readonly versioned?: boolean;
}

/** Every service's users view: versioned in the services that join orders with users. */
export const USERS_VIEWS = {
  'order-validation': { table: 'user_versions', columns: USER_COLUMNS, versioned: true },
  shipping: {
    table: 'user_versions',
    columns: ['id', 'email', 'name', 'country', 'address_line1', 'city', 'postal_code'],
    versioned: true,
  },
  'fraud-detection': { table: 'fraud_user_versions', columns: ['id', 'status', 'country', 'created_at', 'updated_at'], versioned: true },
  analytics: { table: 'user_versions', columns: ['id', 'region', 'updated_at'], versioned: true },
  'customer-profiles': { table: 'users_view', columns: ['id', 'email', 'name', 'country'] },
} as const satisfies Record<string, UsersViewTable>;

/** The users view of a service of the system test (the list of services comes from the manifest). */
export function usersViewOf(service: string): UsersViewTable {
  const view = (USERS_VIEWS as Readonly<Record<string, UsersViewTable>>)[service];
  if (!view) throw new Error(`no users view known for ${service}: add it to USERS_VIEWS (apps/system-tests/src/harness/users-views.ts)`);
  return view;
}

export type Row = Readonly<Record<string, unknown>>;

const isTimestamp = (column: string) => column.endsWith('_at');

/**
 * A value in comparable form: timestamps as instants (ISO in UTC, millisecond precision: Debezium prints six
 * fraction digits, the views keep timestamptz(3), pg gives a Date), everything else as is (null stays null).
 */
export function comparable(column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isTimestamp(column)) {
    const date = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(date.getTime()) ? `invalid date ${JSON.stringify(value)}` : date.toISOString();
  }
  return value;
}

/**
 * SQL that reads a table's rows with the given columns as text-ish values (enums as their label); of a versioned
 * table, each id's latest version unless it is a tombstone.
 */
export function selectSql(table: string, columns: readonly string[], versioned = false): string {
  const list = columns.map((c) => (c === 'status' || c === 'country' ? `"${c}"::text AS "${c}"` : `"${c}"`)).join(', ');
  const from = versioned
    ? `(SELECT DISTINCT ON ("id") * FROM "${table}" ORDER BY "id", "from_offset" DESC) AS latest WHERE NOT "deleted"`
    : `"${table}"`;
  return `SELECT ${list} FROM ${from} ORDER BY "id"`;
}

export interface ViewComparison {
  readonly expectedRows: number;
  readonly actualRows: number;
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  /** `<id>.<column>: expected … got …` */
  readonly different: readonly string[];
}

/** The view against the source projected to `columns`: ids on one side only, and every differing value. */
export function compareUsersView(source: readonly Row[], view: readonly Row[], columns: readonly string[]): ViewComparison {
  const byId = (rows: readonly Row[]) => new Map(rows.map((r) => [String(r['id']), r]));
  const want = byId(source);
  const got = byId(view);
  const missing = [...want.keys()].filter((id) => !got.has(id)).sort();
  const unexpected = [...got.keys()].filter((id) => !want.has(id)).sort();
  const different: string[] = [];
  for (const [id, expected] of [...want].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const actual = got.get(id);
    if (!actual) continue;
    for (const column of columns) {
      const e = comparable(column, expected[column]);
      const a = comparable(column, actual[column]);
      if (e !== a) different.push(`${id}.${column}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
    }
  }
  return { expectedRows: want.size, actualRows: got.size, missing, unexpected, different };
}

export function viewMatches(c: ViewComparison): boolean {
  return c.missing.length === 0 && c.unexpected.length === 0 && c.different.length === 0;
}

/** A short, readable diff: counts and the first few ids and values. */
export function describeComparison(name: string, c: ViewComparison, examples = 10): string {
  if (viewMatches(c)) return `${name}: ${c.actualRows} rows, identical`;
  const part = (label: string, items: readonly string[]) =>
    items.length === 0 ? [] : [`${items.length} ${label}: ${items.slice(0, examples).join(', ')}${items.length > examples ? ', …' : ''}`];
  return [
    `${name}: ${c.actualRows} rows, expected ${c.expectedRows}`,
    ...part('missing', c.missing),
    ...part('unexpected', c.unexpected),
    ...part('different values', c.different),
  ].join('\n  ');
}
