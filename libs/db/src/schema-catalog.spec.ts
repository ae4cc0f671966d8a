import { diffCatalogs, type CatalogSnapshot } from '../test-support/schema-catalog';

const base: CatalogSnapshot = {
  tables: { users: 'table' },
  columns: { 'users.id': 'text NOT NULL', 'users.email': 'text NOT NULL' },
  constraints: { 'users.users_pkey': 'PRIMARY KEY (id)' },
  indexes: { 'users.users_pkey': 'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)' },
  enums: { Role: 'ADMIN, USER' },
};
const clone = (): CatalogSnapshot => JSON.parse(JSON.stringify(base)) as CatalogSnapshot;

describe('diffCatalogs', () => {
  it('finds nothing between equal catalogs', () => {
    expect(diffCatalogs(base, clone())).toEqual([]);
  });

  it('reports missing, unexpected and different objects', () => {
    const actual = clone();
    delete actual.columns['users.email'];
    actual.columns['users.id'] = 'text NULL';
    actual.indexes['users.extra_idx'] = 'CREATE INDEX extra_idx ON public.users USING btree (id)';
    actual.enums['Role'] = 'USER';
    delete actual.constraints['users.users_pkey'];

    expect(diffCatalogs(base, actual)).toEqual([
      'columns: users.email is missing (expected: text NOT NULL)',
      'columns: users.id differs: expected "text NOT NULL", found "text NULL"',
      'constraints: users.users_pkey is missing (expected: PRIMARY KEY (id))',
      'indexes: users.extra_idx is unexpected (found: CREATE INDEX extra_idx ON public.users USING btree (id))',
      'enums: Role differs: expected "ADMIN, USER", found "USER"',
    ]);
  });
});
