#!/usr/bin/env node
// Removes the query compilers of the databases this project does not use from @prisma/client's runtime:
// @prisma/client ships one (as WebAssembly, twice: base64 in .js and .mjs) per provider, about 60 MB of a
// production install of 140 MB. The generated clients import only their own provider's files.
//
//   node tools/scripts/prune-prisma-runtime.mjs <node_modules> <provider>...     (e.g. node_modules postgresql)
//
// Used by the image's production-dependencies stage and by tools/deploy-check's production-build test, which
// runs every service on the pruned install.
import fs from 'node:fs';
import path from 'node:path';

const [modules, ...keep] = process.argv.slice(2);
if (!modules || keep.length === 0) {
  console.error('usage: node tools/scripts/prune-prisma-runtime.mjs <node_modules> <provider>...');
  process.exit(2);
}
const runtime = path.join(modules, '@prisma', 'client', 'runtime');
if (!fs.existsSync(runtime)) {
  console.error(`${runtime} not found`);
  process.exit(1);
}
let removed = 0;
let bytes = 0;
for (const name of fs.readdirSync(runtime)) {
  const match = /^query_compiler_[a-z]+_bg\.([a-z]+)\./.exec(name);
  if (!match || keep.includes(match[1])) continue;
  const file = path.join(runtime, name);
  bytes += fs.statSync(file).size;
  fs.rmSync(file);
  removed += 1;
}
const kept = fs.readdirSync(runtime).filter((name) => keep.some((p) => name.includes(`_bg.${p}.`)));
if (kept.length === 0) {
  console.error(`no query compiler left for ${keep.join(', ')} in ${runtime}: wrong provider name?`);
  process.exit(1);
}
console.log(`pruned ${removed} query compiler files (${(bytes / 1e6).toFixed(1)} MB) of providers other than ${keep.join(', ')}`);
