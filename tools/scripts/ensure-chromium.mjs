#!/usr/bin/env node
// Part of `npm test`: the dashboard's browser test drives Debian's Chromium (never a downloaded browser).
// Present (CHROMIUM_PATH or /usr/bin/chromium) → nothing to do. Missing → installed with apt-get when this
// user may (root, or passwordless sudo); otherwise stop at once with the one command to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const say = (message) => process.stderr.write(`[chromium] ${message}\n`);
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !asRoot && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;

if (process.env.CHROMIUM_PATH) {
  say(`CHROMIUM_PATH=${path} does not exist.`);
  process.exit(1);
}
if (!has('apt-get') || (!asRoot && !sudo)) {
  say("the dashboard's browser test needs Debian's Chromium, which is not installed. Run:");
  say('    sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium');
  say('(or point CHROMIUM_PATH at a Chromium binary), then npm test again.');
  process.exit(1);
}
say("Debian's chromium is not installed: installing it with apt-get (once)");
const prefix = asRoot ? [] : ['sudo', '-n'];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
]) {
  const [command, ...rest] = [...prefix, ...args];
  const result = spawnSync(command, rest, { stdio: 'inherit', env });
  if (result.status !== 0) {
    say(`${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
if (!existsSync(path)) {
  say(`apt-get installed chromium, but ${path} is still missing.`);
  process.exit(1);
}
