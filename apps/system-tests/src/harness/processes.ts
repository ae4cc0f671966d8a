import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** A TypeScript entry point run as its own process, the way the services run in production-like setups. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves when the process exits (code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly hasExited: () => boolean;
}

/** `node -r @swc-node/register <script>` from the repo root; stdout and stderr go to `logFile`. */
export function startProcess(name: string, script: string, env: Record<string, string>, logFile: string): ManagedProcess {
  const entry = path.join(REPO_ROOT, script);
  if (!existsSync(entry)) throw new Error(`${name}: ${script} does not exist`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  // Appended: a restarted process (chaos tests) keeps the log of its earlier lives.
  const log = createWriteStream(logFile, { flags: 'a' });
  // SYSTEM_TEST_CPU_PROFILE_DIR: each process writes a V8 CPU profile there when it exits (node --cpu-prof; Chrome
  // DevTools opens it), e.g. to see where a benchmark's CPU goes. NODE_OPTIONS cannot carry the flag.
  const profileDir = process.env['SYSTEM_TEST_CPU_PROFILE_DIR'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      // Let the pipes drain before the log closes.
      setTimeout(() => {
        log.end();
        resolve({ code, signal });
      }, 50);
    });
  });
  return { name, child, logFile, exited, hasExited: () => done };
}

/** SIGTERM, then SIGKILL when it is still running after `graceMs`. Resolves once it has exited. */
export async function stopProcess(proc: ManagedProcess, graceMs = 20_000): Promise<'not-running' | 'terminated' | 'killed'> {
  if (proc.hasExited()) return 'not-running';
  proc.child.kill('SIGTERM');
  // An unref'd timer: a process that exits at once must not keep the test runner alive for `graceMs`.
  const result = await Promise.race([proc.exited, sleep(graceMs, undefined, { ref: false }).then(() => undefined)]);
  if (result) return 'terminated';
  proc.child.kill('SIGKILL');
  await proc.exited;
  return 'killed';
}

/** The last `lines` lines of a log file. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
