// The running demo's control directory (tmp/demo/control): `npm run demo:add -- <service>` drops a request there,
// the demo (tools/scripts/start-demo.mjs) starts the service and writes the answer beside it. Files, not a port:
// nothing to configure, and a demo that is gone is told by its pid file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CONTROL_DIR = path.join(ROOT, 'tmp', 'demo', 'control');
export const PID_FILE = path.join(CONTROL_DIR, 'demo.pid');
export const requestFile = (service) => path.join(CONTROL_DIR, `${service}.request`);
export const answerFile = (service) => path.join(CONTROL_DIR, `${service}.answer.json`);
/** Written by the demo once it has started the process (`{ url }`), so demo:add can show the catch-up meanwhile. */
export const startedFile = (service) => path.join(CONTROL_DIR, `${service}.started.json`);

/** The pid of the running demo, or undefined when none runs (no pid file, or its process is gone). */
export function runningDemoPid() {
  let pid;
  try {
    pid = Number(fs.readFileSync(PID_FILE, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0); // signal 0: does the process exist
    return pid;
  } catch (error) {
    return error.code === 'EPERM' ? pid : undefined;
  }
}
