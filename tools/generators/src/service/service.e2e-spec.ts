import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * The generator for real: `nx g @shop/tools:service` in a scratch copy of the workspace (its committed and
 * untracked files, node_modules linked), then what the new app must pass before anyone edits it: its unit
 * tests (the OpenAPI document included), typecheck, lint, Prettier, the compose checks of tools/deploy-check, and
 * (when KAFKA_BROKERS is set, as with-infra.mjs does) its integration test.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const NAME = 'probe-audit';

function sh(cwd: string, command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_INTERACTIVE: 'false', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

describe('nx g @shop/tools:service in a scratch copy of the workspace', () => {
  let scratch: string;
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'shop-generator-'));
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      // A worktree may have node_modules as an untracked symlink (not matched by `node_modules/`): linked below.
      .filter((f) => f && f !== 'node_modules' && existsSync(path.join(ROOT, f)));
    for (const file of files) {
      mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      cpSync(path.join(ROOT, file), path.join(scratch, file));
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'));
    sh(scratch, bin('nx'), ['g', '@shop/tools:service', NAME, '--consumes', 'users,order-validations,fraud-alerts', '--no-interactive']);
  });

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('writes the first migration, the Prisma client, the compose init script and the OpenAPI document', () => {
    const migrations = readdirSync(path.join(scratch, 'apps', NAME, 'prisma', 'migrations'));
    expect(migrations).toEqual([expect.stringMatching(/^\d{14}_init$/), 'migration_lock.toml']);
    const sql = readFileSync(path.join(scratch, 'apps', NAME, 'prisma', 'migrations', migrations[0] ?? '', 'migration.sql'), 'utf8');
    for (const table of ['kafka_consumer_offsets', 'users_view', 'order_validations_seen', 'fraud_alerts_seen']) {
      expect(sql).toContain(`CREATE TABLE "${table}"`);
    }
    expect(existsSync(path.join(scratch, 'apps', NAME, 'src', 'generated', 'prisma', 'client.ts'))).toBe(true);
    expect(readFileSync(path.join(scratch, 'docker', 'postgres', 'init', '01-service-databases.sh'), 'utf8')).toContain(
      'database probe_audit "$PROBE_AUDIT_DB_PASSWORD"\n',
    );
    expect(readFileSync(path.join(scratch, '.env.example'), 'utf8')).toContain('PROBE_AUDIT_DB_PASSWORD=probe-audit-example\n');
    expect(existsSync(path.join(scratch, 'docs', 'openapi', `${NAME}.json`))).toBe(true);
  });

  it("passes the new app's unit tests (its committed OpenAPI document included)", () => {
    expect(sh(scratch, bin('jest'), ['--config', `apps/${NAME}/jest.config.cjs`])).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  });

  it('typechecks, lints and is formatted as Prettier prints it', () => {
    sh(scratch, bin('tsc'), ['-p', `apps/${NAME}/tsconfig.json`, '--noEmit']);
    sh(scratch, bin('eslint'), [`apps/${NAME}`]);
    sh(scratch, bin('prettier'), ['--check', `apps/${NAME}`, 'libs/contracts/src/services/services.json']);
  });

  // Under npm test (tools/scripts/with-infra.mjs) the broker and PostgreSQL are there: the generated int test runs too.
  (process.env['KAFKA_BROKERS'] ? it : it.skip)('passes its integration test against the real broker and PostgreSQL', () => {
    expect(sh(scratch, bin('jest'), ['--config', `apps/${NAME}/jest.int.config.cjs`, '--runInBand'])).toMatch(
      /Tests:\s+\d+ passed, \d+ total/,
    );
  });

  it('keeps the manifest, docker-compose.yml (and its cluster variant) and README consistent (tools/deploy-check, libs/contracts)', () => {
    sh(scratch, bin('jest'), ['--config', 'tools/deploy-check/jest.config.cjs', 'src/compose.spec.ts', 'src/compose-cluster.spec.ts']);
    sh(scratch, bin('jest'), ['--config', 'libs/contracts/jest.config.cjs']);
  });
});
