import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository root (libs/db/test-support → ../../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const SKIP = new Set(['node_modules', '.git', '.nx', 'dist', 'tmp', 'coverage', 'generated', '.infra']);

/** Every `prisma/schema.prisma` of the repository outside node_modules (same rule as npm run prisma:generate). */
export function findPrismaSchemas(dir: string = REPO_ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || SKIP.has(entry.name)) continue;
    const sub = path.join(dir, entry.name);
    if (entry.name === 'prisma' && existsSync(path.join(sub, 'schema.prisma'))) found.push(path.join(sub, 'schema.prisma'));
    found.push(...findPrismaSchemas(sub));
  }
  return found.sort();
}
