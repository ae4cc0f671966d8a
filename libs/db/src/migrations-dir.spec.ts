import path from 'node:path';
import { migrationChecksum, readMigrationsDir } from './migrations-dir';

describe('migrationChecksum', () => {
  it('is the SHA-256 of the script in lowercase hex, like Prisma’s _prisma_migrations.checksum', () => {
    expect(migrationChecksum('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(migrationChecksum('SELECT 1;\n')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('readMigrationsDir', () => {
  it('reads the migration folders in name order', () => {
    const migrations = readMigrationsDir(path.join(__dirname, '..', 'test-support', 'prisma', 'migrations'));
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.name)).toEqual([...migrations.map((m) => m.name)].sort());
    for (const m of migrations) {
      expect(m.name).toMatch(/^\d{14}_\w+$/);
      expect(m.checksum).toBe(migrationChecksum(m.script));
    }
  });

  it('fails clearly when the folder does not exist', () => {
    expect(() => readMigrationsDir('/nonexistent/prisma/migrations')).toThrow(/Migrations folder not found/);
  });
});
