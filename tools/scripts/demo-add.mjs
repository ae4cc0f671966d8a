#!/usr/bin/env node
// `npm run demo:add -- <service>`: starts a service of the manifest in the running demo (npm start), e.g. one just
// made with `nx g @shop/tools:service`, or an opt-in one. It builds its views from offset 0 (its own, empty
// database) while the others keep running; the demo supervises it from then on and stops it with the rest.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICES } from '../../infra/local/config.mjs';
import { answerFile, CONTROL_DIR, requestFile, runningDemoPid } from './lib/demo-control.mjs';

// The demo waits up to 180 s for /health/ready; a little longer here.
const ANSWER_TIMEOUT_MS = 200_000;

async function main() {
  const name = process.argv[2];
  if (!name) throw new Error('usage: npm run demo:add -- <service>');
  if (!SERVICES.some((s) => s.name === name)) {
    throw new Error(`"${name}" is not a service of the manifest (${SERVICES.map((s) => s.name).join(', ')})`);
  }
  const pid = runningDemoPid();
  if (!pid) throw new Error('no demo is running: start one with npm start (in another terminal)');
  fs.mkdirSync(CONTROL_DIR, { recursive: true });
  fs.rmSync(answerFile(name), { force: true });
  fs.writeFileSync(requestFile(name), `${new Date().toISOString()}\n`);
  process.stdout.write(`asked the demo (pid ${pid}) to start ${name}; waiting until it is healthy…\n`);
  const started = Date.now();
  while (Date.now() - started < ANSWER_TIMEOUT_MS) {
    if (fs.existsSync(answerFile(name))) {
      const answer = JSON.parse(fs.readFileSync(answerFile(name), 'utf8'));
      fs.rmSync(answerFile(name), { force: true });
      if (!answer.ok) throw new Error(`${name}: ${answer.message}`);
      process.stdout.write(`${name}: ${answer.message} ${answer.url}\n`);
      return;
    }
    if (!runningDemoPid()) throw new Error('the demo stopped before it answered');
    await sleep(500);
  }
  throw new Error(`the demo did not answer within ${ANSWER_TIMEOUT_MS / 1000} s (see tmp/demo/${name}.log)`);
}

main().catch((error) => {
  process.stderr.write(`demo:add: ${error.message}\n`);
  process.exitCode = 1;
});
