// How a service builds its Prisma 7 client: generated client (prisma-client generator, cjs) + createPgAdapter.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@shop/test-infra';
import { REPO_ROOT } from '../test-support/find-prisma-schemas';
import { applyMigrations, createPgAdapter } from './index';

const FIXTURE = path.join(REPO_ROOT, 'libs/db/test-support');
const GENERATED = path.join(FIXTURE, 'src/generated/prisma/client.ts');

describe('generated PrismaClient with createPgAdapter', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    if (!existsSync(GENERATED)) {
      // generated code is gitignored; `npm run prisma:generate` normally creates it
      const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'tools/scripts/prisma-generate.mjs')], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(`prisma:generate failed: ${run.stderr}`);
    }
    db = await createTestDatabase('client');
    await applyMigrations({ databaseUrl: db.url, migrationsDir: path.join(FIXTURE, 'prisma/migrations') });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reads and writes through the pg adapter', async () => {
    const { PrismaClient } = require(GENERATED) as typeof import('../test-support/src/generated/prisma/client');
    const prisma = new PrismaClient({ adapter: createPgAdapter(db.url, { poolSize: 2 }) });
    try {
      const owner = await prisma.owner.create({
        data: {
          id: '6c1f8a52-4f0e-4b8e-9a51-0b0f4a1f2c3d',
          email: 'a@example.com',
          widgets: { create: [{ name: 'w1', price: '9.99', tags: ['x'] }] },
        },
        include: { widgets: true },
      });
      expect(owner.widgets).toHaveLength(1);
      expect(owner.widgets[0]?.status).toBe('DRAFT');
      expect(owner.widgets[0]?.price.toString()).toBe('9.99');
      const rows = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM widgets`;
      expect(rows[0]?.n).toBe(1n);
    } finally {
      await prisma.$disconnect();
    }
  });
});
