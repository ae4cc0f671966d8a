#!/usr/bin/env node
// Compiles one entry point and every workspace file it reaches to CommonJS in dist/, keeping the repository's
// layout (dist/apps/<app>/src/main.js, dist/libs/<lib>/src/…), so relative paths such as an app's
// `../prisma/migrations` hold in the output as they do in the source.
//
//   node tools/scripts/build.mjs <entry.ts> [--asset <path>]... [--out dist]
//
// swc (already the runtime of the dev entry points, via @swc-node/register) transpiles with decorator metadata,
// which Nest's injection needs and esbuild does not emit. Imports of @shop/* libraries are rewritten to
// relative paths from tsconfig.base.json's `paths`; packages stay external and must be production dependencies:
// the image installs nothing else, so the build fails when compiled code would require a devDependency.
// Type checking is the `typecheck` target's job (tsc), not this script's.
import { builtinModules, createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const swc = require('@swc/core');

export class BuildError extends Error {}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function swcOptions() {
  const { compilerOptions } = readJson(path.join(root, 'tsconfig.base.json'));
  return {
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: compilerOptions.target.toLowerCase(),
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
    },
  };
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const BUILTINS = new Set(builtinModules);
const isBuiltin = (specifier) => specifier.startsWith('node:') || BUILTINS.has(packageOf(specifier));

/** `require("x")` calls of compiled CommonJS (static imports, re-exports and dynamic `import()` alike). */
export function requiredSpecifiers(code) {
  return [...code.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
}

function resolveSource(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts'), `${base}.js`, `${base}.json`]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new BuildError(`${path.relative(root, fromFile)}: cannot resolve '${specifier}'`);
}

function outputPath(outDir, source) {
  const rel = path.relative(root, source);
  if (rel.startsWith('..')) throw new BuildError(`${source} is outside the workspace`);
  return path.join(outDir, rel.replace(/\.ts$/, '.js'));
}

/**
 * Builds `entry` into `outDir`. Returns what it wrote and which packages the output requires; throws BuildError
 * when a required package is not a production dependency of the root package.json.
 */
export function build({ entry, assets = [], outDir = path.join(root, 'dist') }) {
  const entryFile = path.resolve(root, entry);
  if (!fs.existsSync(entryFile)) throw new BuildError(`entry ${entry} does not exist`);
  const { dependencies = {}, devDependencies = {} } = readJson(path.join(root, 'package.json'));
  const options = swcOptions();
  const files = [];
  const packages = new Map(); // package → first file requiring it
  const seen = new Set();
  const queue = [entryFile];
  while (queue.length > 0) {
    const source = queue.pop();
    if (seen.has(source)) continue;
    seen.add(source);
    const target = outputPath(outDir, source);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    files.push(path.relative(outDir, target));
    if (!source.endsWith('.ts')) {
      fs.copyFileSync(source, target);
      continue;
    }
    const { code, map } = swc.transformFileSync(source, { ...options, filename: source });
    fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    fs.writeFileSync(`${target}.map`, map);
    for (const specifier of requiredSpecifiers(code)) {
      if (specifier.startsWith('.')) queue.push(resolveSource(source, specifier));
      else if (!isBuiltin(specifier) && !packages.has(packageOf(specifier))) {
        packages.set(packageOf(specifier), path.relative(root, source));
      }
    }
  }
  const notProduction = [...packages].filter(([name]) => !(name in dependencies));
  if (notProduction.length > 0) {
    const lines = notProduction.map(
      ([name, file]) => `  ${file} requires '${name}'${name in devDependencies ? ' (a devDependency)' : ' (not in package.json)'}`,
    );
    throw new BuildError(
      `${entry}: compiled code requires packages that are not production dependencies; the image installs only ` +
        `"dependencies":\n${lines.join('\n')}`,
    );
  }
  for (const asset of assets) {
    const from = path.resolve(root, asset);
    if (!fs.existsSync(from)) throw new BuildError(`asset ${asset} does not exist`);
    fs.cpSync(from, path.join(outDir, path.relative(root, from)), { recursive: true });
  }
  return { files: files.sort(), packages: [...packages.keys()].sort() };
}

function parseArgs(argv) {
  const args = { entry: undefined, assets: [], outDir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--asset') args.assets.push(argv[++i]);
    else if (arg === '--out') args.outDir = path.resolve(root, argv[++i]);
    else if (!args.entry && !arg.startsWith('--')) args.entry = arg;
    else throw new BuildError(`unexpected argument ${arg}`);
  }
  if (!args.entry) throw new BuildError('usage: node tools/scripts/build.mjs <entry.ts> [--asset <path>]... [--out dist]');
  return args;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const started = Date.now();
    const result = build(args);
    console.log(
      `built ${args.entry}: ${result.files.length} files in ${Date.now() - started} ms; ` + `packages: ${result.packages.join(', ')}`,
    );
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(`build failed: ${error.message}`);
    process.exit(1);
  }
}
