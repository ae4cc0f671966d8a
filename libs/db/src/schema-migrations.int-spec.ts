// For every prisma/schema.prisma of the repository: the committed migrations must build exactly the schema
// that schema.prisma describes. Two independent checks:
//  1. catalogs: committed migrations → fresh DB A; "empty → schema.prisma" SQL (Prisma's engine) → fresh
//     DB B; tables, columns, constraints, indexes and enums of A and B must be identical.
//  2. Prisma's engine: migrations (replayed in a shadow DB) → schema.prisma must be an empty diff.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPrismaSchemas, REPO_ROOT } from '../test-support/find-prisma-schemas';
import { checkMigrationsMatchSchema } from '../test-support/migration-check';

const schemas = findPrismaSchemas().map((file) => path.relative(REPO_ROOT, file));

describe('committed migrations match schema.prisma', () => {
  it('finds the schemas of the repository', () => {
    expect(schemas).toContain(path.join('libs', 'db', 'test-support', 'prisma', 'schema.prisma'));
  });

  it.each(schemas)('%s', async (schema) => {
    const result = await checkMigrationsMatchSchema(path.join(REPO_ROOT, schema));
    expect(result.applied.length).toBeGreaterThan(0);
    expect(result.catalogDifferences).toEqual([]);
    expect(result.engineDiff).toBe('');
  });
});

describe('the check itself', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'db-fixture-'));
    cpSync(path.join(REPO_ROOT, 'libs/db/test-support/prisma'), path.join(dir, 'prisma'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails when schema.prisma changed and no migration was added', async () => {
    const schemaPath = path.join(dir, 'prisma', 'schema.prisma');
    const schema = readFileSync(schemaPath, 'utf8');
    writeFileSync(
      schemaPath,
      schema
        .replace('  metadata Json?', '  metadata Json?\n  weight   Int      @default(0)\n\n  @@index([name])')
        .replace('  RETIRED', '  RETIRED\n  ARCHIVED'),
    );

    const result = await checkMigrationsMatchSchema(schemaPath);

    expect(result.catalogDifferences).toEqual([
      'columns: widgets.weight is missing (expected: integer NOT NULL DEFAULT 0)',
      'indexes: widgets.widgets_name_idx is missing (expected: CREATE INDEX widgets_name_idx ON public.widgets USING btree (name))',
      'enums: WidgetStatus differs: expected "ACTIVE, ARCHIVED, DRAFT, RETIRED", found "ACTIVE, DRAFT, RETIRED"',
    ]);
    expect(result.engineDiff).toContain('ADD COLUMN     "weight" INTEGER NOT NULL DEFAULT 0');
    expect(result.engineDiff).toContain(`ALTER TYPE "WidgetStatus" ADD VALUE 'ARCHIVED'`);
  });
});
