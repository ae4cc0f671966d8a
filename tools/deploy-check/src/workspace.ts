import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const read = (rel: string): string => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/**
 * A value of infra/local (plain ESM, read by a child: jest's VM would need --experimental-vm-modules): `expression`
 * is evaluated with its `config` (config.mjs) and `java` (java.mjs) modules in scope, and must be JSON.
 */
export function infraLocalValue<T>(expression: string): T {
  const dir = (file: string) => JSON.stringify(pathToFileURL(path.join(ROOT, 'infra', 'local', file)).href);
  const script = `const config = await import(${dir('config.mjs')}); const java = await import(${dir('java.mjs')});
    process.stdout.write(JSON.stringify(${expression}));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`infra/local did not load: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Runs `node infra/local/cli.mjs <args>` in the workspace and returns its stdout. */
export function infraCli(args: string[]): string {
  try {
    return execFileSync(process.execPath, ['infra/local/cli.mjs', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // `status` exits 1 when a component is down; its JSON is still on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (args[0] === 'status' && stdout) return stdout;
    throw error;
  }
}

export interface BuildTarget {
  project: string;
  /** The entry point, relative to the workspace root (`apps/<app>/src/main.ts`). */
  entry: string;
  /** Where the build writes it: the entry's path under dist/ with .js. */
  output: string;
  assets: string[];
}

interface ProjectJson {
  name: string;
  targets: Record<string, { options?: { command?: string } }>;
}

function projectFiles(): string[] {
  return ['apps', 'libs', 'tools'].flatMap((group) =>
    fs
      .readdirSync(path.join(ROOT, group))
      .map((name) => path.join(group, name, 'project.json'))
      .filter((file) => fs.existsSync(path.join(ROOT, file))),
  );
}

/** Every project's `build` target (tools/scripts/build.mjs <entry> [--asset <path>]...). */
export function buildTargets(): BuildTarget[] {
  return projectFiles().flatMap((file) => {
    const project = JSON.parse(read(file)) as ProjectJson;
    const command = project.targets['build']?.options?.command;
    if (command === undefined) return [];
    const match = /^node tools\/scripts\/build\.mjs (\S+\.ts)((?: --asset \S+)*)$/.exec(command);
    if (!match?.[1]) throw new Error(`${file}: build target is not \`node tools/scripts/build.mjs <entry.ts> [--asset <path>]...\``);
    const entry = match[1];
    const assets = [...(match[2] ?? '').matchAll(/--asset (\S+)/g)].map((m) => m[1] ?? '');
    return [{ project: project.name, entry, output: path.join('dist', entry.replace(/\.ts$/, '.js')), assets }];
  });
}

/** The apps with an entry point apps/<app>/src/main.ts that are deployed (all but the system tests). */
export function deployedApps(): string[] {
  return fs
    .readdirSync(path.join(ROOT, 'apps'))
    .filter((app) => app !== 'system-tests' && fs.existsSync(path.join(ROOT, 'apps', app, 'src', 'main.ts')))
    .sort();
}
