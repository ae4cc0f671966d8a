/**
 * docker/app/Dockerfile cannot be built on the CI machine (no Docker engine): it is checked by construction
 * here, and its build output is run on a production-only install by production-build.int-spec.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execForm, parseInstructions, parseStages, type Stage } from './dockerfile';
import { buildTargets, deployedApps, read, ROOT } from './workspace';

const dockerfile = read('docker/app/Dockerfile');
const { args, stages } = parseStages(dockerfile);
const runtime = stages.at(-1) as Stage;
const stage = (name: string): Stage => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage named ${name}`);
  return found;
};
const of = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const copiesFrom = (s: Stage) =>
  of(s, 'COPY').flatMap((a) => {
    const match = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(a);
    return match ? [{ stage: match[1] ?? '', from: match[2] ?? '', to: match[3] ?? '' }] : [];
  });
const npmInstalls = (s: Stage) => of(s, 'RUN').filter((a) => /\bnpm (ci|install|i)\b/.test(a));

describe('the Dockerfile parser', () => {
  it('joins continuation lines and drops comments, also inside a continued instruction', () => {
    expect(parseInstructions('# c\nRUN a \\\n  # inner\n  && b\nUSER node\n')).toEqual([
      { keyword: 'RUN', args: 'a && b' },
      { keyword: 'USER', args: 'node' },
    ]);
  });

  it('substitutes global ARG defaults in FROM and names stages', () => {
    const parsed = parseStages('ARG IMG=node:24.1-bookworm-slim\nFROM ${IMG} AS one\nRUN x\nFROM $IMG\n');
    expect(parsed.stages.map((s) => [s.name, s.from, s.instructions.length])).toEqual([
      ['one', 'node:24.1-bookworm-slim', 1],
      [undefined, 'node:24.1-bookworm-slim', 0],
    ]);
  });
});

describe('docker/app/Dockerfile', () => {
  it('is multi-stage on node:24.<minor>-bookworm-slim, the minor CI tests on', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const ciNode = /^NODE24_VERSION=(24\.\d+)\.\d+$/m.exec(read('.ci/run'))?.[1];
    expect(ciNode).toBeDefined();
    for (const s of stages) expect({ stage: s.name, from: s.from }).toEqual({ stage: s.name, from: `node:${ciNode}-bookworm-slim` });
    expect(args['NODE_IMAGE']).toBe(`node:${ciNode}-bookworm-slim`);
  });

  it('generates the Prisma clients and compiles every app in the build stage', () => {
    const build = stage('build');
    const runs = of(build, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run prisma:generate && npm run build/);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['build']).toMatch(/^nx run-many -t build\b/);
  });

  it('ships production dependencies only: the runtime installs nothing and takes node_modules from an --omit=dev install', () => {
    expect(npmInstalls(runtime)).toEqual([]);
    const modules = copiesFrom(runtime).filter((c) => c.from === '/app/node_modules');
    expect(modules).toHaveLength(1);
    const source = stage(modules[0]?.stage ?? '');
    expect(npmInstalls(source)).toEqual([expect.stringMatching(/^npm ci --omit=dev --omit=optional\b/)]);
    expect(copiesFrom(source)).toEqual([]); // nothing from the build stage (its node_modules has everything)
    expect(of(source, 'COPY')).toEqual(['package.json package-lock.json ./', 'tools/scripts/prune-prisma-runtime.mjs ./']);
  });

  it("prunes @prisma/client's query compilers down to the providers of the Prisma schemas", () => {
    const schemas = fs
      .readdirSync(path.join(ROOT, 'apps'))
      .map((app) => path.join(ROOT, 'apps', app, 'prisma', 'schema.prisma'))
      .filter((file) => fs.existsSync(file));
    expect(schemas.length).toBeGreaterThan(0);
    const providers = new Set(
      schemas.map((file) => /datasource \w+ \{[^}]*provider\s*=\s*"(\w+)"/.exec(fs.readFileSync(file, 'utf8'))?.[1]),
    );
    const prune = of(stage('production-dependencies'), 'RUN').join(' ');
    expect(prune).toContain(`node prune-prisma-runtime.mjs node_modules ${[...providers].sort().join(' ')} `);
  });

  it('runs compiled JavaScript from the build stage, not TypeScript', () => {
    expect(copiesFrom(runtime)).toContainEqual({ stage: 'build', from: '/app/dist', to: './dist' });
    expect(
      copiesFrom(runtime)
        .map((c) => c.from)
        .sort(),
    ).toEqual(['/app/dist', '/app/node_modules']);
    // Nothing else of the source tree: the default COPY of the runtime is package.json alone.
    expect(of(runtime, 'COPY').filter((a) => !a.startsWith('--from='))).toEqual(['package.json ./']);
    const cmd = execForm(of(runtime, 'CMD')[0] ?? '');
    expect(cmd[0]).toBe('node');
    expect(buildTargets().map((t) => t.output)).toContain(cmd[1]);
    expect(runtime.instructions.map((i) => i.args).join('\n')).not.toMatch(/swc-node|ts-node|\.ts\b/);
    expect(of(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
  });

  it('runs as an unprivileged user, with a healthcheck on the live endpoint', () => {
    const users = of(runtime, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const healthchecks = of(runtime, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0]).toMatch(/ CMD \[/);
    expect(healthchecks[0]).toContain('/health/live');
  });
});

describe('build targets', () => {
  it('every deployed app compiles its main.ts with its migrations; the CDC script with its connector template', () => {
    const targets = buildTargets();
    for (const app of deployedApps()) {
      const target = targets.find((t) => t.project === app);
      expect({ app, entry: target?.entry }).toEqual({ app, entry: `apps/${app}/src/main.ts` });
      const hasMigrations = fs.existsSync(path.join(ROOT, 'apps', app, 'prisma', 'migrations'));
      expect({ app, assets: target?.assets }).toEqual({ app, assets: hasMigrations ? [`apps/${app}/prisma/migrations`] : [] });
    }
    expect(targets.find((t) => t.project === 'cdc')).toEqual({
      project: 'cdc',
      entry: 'libs/cdc/scripts/users-cdc.ts',
      output: 'dist/libs/cdc/scripts/users-cdc.js',
      assets: ['infra/connect/users-cdc.connector.json'],
    });
  });
});
