import { USERS_VIEWS, compareUsersView, comparable, describeComparison, selectSql, viewMatches } from './users-views';

describe('users views vs the monolith table', () => {
  const source = [
    { id: 'a', region: 'EU', updated_at: new Date('2026-11-25T10:00:00.123Z') },
    { id: 'b', region: 'US', updated_at: new Date('2026-11-25T10:00:01Z') },
  ];
  const columns = USERS_VIEWS.analytics.columns;

  it('compares timestamps as instants (Debezium 6 digits, offsets, Dates)', () => {
    expect(comparable('updated_at', '2026-11-25T10:00:00.123000Z')).toBe('2026-11-25T10:00:00.123Z');
    expect(comparable('created_at', '2026-11-25T11:00:00.123+01:00')).toBe('2026-11-25T10:00:00.123Z');
    expect(comparable('city', null)).toBeNull();
    const view = [
      { id: 'a', region: 'EU', updated_at: '2026-11-25T10:00:00.123000Z' },
      { id: 'b', region: 'US', updated_at: new Date('2026-11-25T10:00:01.000Z') },
    ];
    const c = compareUsersView(source, view, columns);
    expect(viewMatches(c)).toBe(true);
    expect(describeComparison('analytics', c)).toBe('analytics: 2 rows, identical');
  });

  it('lists missing, unexpected and different rows', () => {
    const view = [
      { id: 'a', region: 'APAC', updated_at: new Date('2026-11-25T10:00:00.124Z') },
      { id: 'z', region: 'EU', updated_at: new Date() },
    ];
    const c = compareUsersView(source, view, columns);
    expect(c).toEqual({
      expectedRows: 2,
      actualRows: 2,
      missing: ['b'],
      unexpected: ['z'],
      different: [
        'a.region: expected "EU", got "APAC"',
        'a.updated_at: expected "2026-11-25T10:00:00.123Z", got "2026-11-25T10:00:00.124Z"',
      ],
    });
    expect(describeComparison('analytics', c)).toBe(
      'analytics: 2 rows, expected 2\n  1 missing: b\n  1 unexpected: z\n  2 different values: a.region: expected "EU", got "APAC", a.updated_at: expected "2026-11-25T10:00:00.123Z", got "2026-11-25T10:00:00.124Z"',
    );
  });

  it('reads enums as text', () => {
    expect(selectSql('users', ['id', 'status', 'country'])).toBe(
      'SELECT "id", "status"::text AS "status", "country"::text AS "country" FROM "users" ORDER BY "id"',
    );
  });

  it('reads the current rows of a versioned view: the latest version of each id, tombstones left out', () => {
    expect(selectSql('fraud_user_versions', USERS_VIEWS['fraud-detection'].columns, true)).toBe(
      'SELECT "id", "status"::text AS "status", "country"::text AS "country", "created_at", "updated_at" FROM (SELECT DISTINCT ON ("id") * FROM "fraud_user_versions" ORDER BY "id", "from_offset" DESC) AS latest WHERE NOT "deleted" ORDER BY "id"',
    );
  });
});
