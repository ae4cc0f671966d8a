#!/usr/bin/env node
// `npm run prisma:generate`: runs `prisma generate` for every prisma/schema.prisma of the repository
// (outside node_modules). Prisma's CLI wants a native schema engine that cannot be downloaded here; generate
// does not use it, so PRISMA_SCHEMA_ENGINE_BINARY is pointed at an existing file (unless already set).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP = new Set(['node_modules', '.git', '.nx', 'dist', 'tmp', 'coverage', 'generated', '.infra']);

export function findPrismaSchemas(dir = root) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || SKIP.has(entry.name)) continue;
    const sub = path.join(dir, entry.name);
    if (entry.name === 'prisma' && existsSync(path.join(sub, 'schema.prisma'))) found.push(path.join(sub, 'schema.prisma'));
    found.push(...findPrismaSchemas(sub));
  }
  return found.sort();
}

function main() {
  const require = createRequire(import.meta.url);
  const prismaCli = require.resolve('prisma/build/index.js');
  const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
    env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath; // any existing file: generate never runs it
  }
  const schemas = findPrismaSchemas();
  if (schemas.length === 0) console.log('No prisma/schema.prisma found.');
  for (const schema of schemas) {
    const rel = path.relative(root, schema);
    console.log(`prisma generate --schema ${rel}`);
    const run = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', rel], { cwd: root, env, stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(`prisma generate failed for ${rel}`);
      process.exit(run.status ?? 1);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
