#!/usr/bin/env node
// `npm run demo:add -- <service>`: starts a service of the manifest in the running demo (npm start), e.g. one just
// made with `nx g @shop/tools:service`, or an opt-in one. It builds its views from offset 0 (its own, empty
// database) while the others keep running; the demo supervises it from then on and stops it with the rest.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICES } from '../../infra/local/config.mjs';
import { answerFile, CONTROL_DIR, requestFile, runningDemoPid, startedFile } from './lib/demo-control.mjs';

// The demo waits up to 180 s for /health/ready; a little longer here.
const ANSWER_TIMEOUT_MS = 200_000;

/** The sum of the views' lag in a /health/ready answer, or null while a view does not know its lag yet. */
async function readyLag(url) {
  try {
    const body = await (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) })).json();
    const lags = (body?.checks?.views ?? []).map((v) => v.lag);
    return lags.length > 0 && lags.every((l) => typeof l === 'number') ? lags.reduce((a, b) => a + b, 0) : null;
  } catch {
    return null; // not listening yet
  }
}

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
  fs.rmSync(startedFile(name), { force: true });
  fs.writeFileSync(requestFile(name), `${new Date().toISOString()}\n`);
  process.stdout.write(`asked the demo (pid ${pid}) to start ${name}; waiting until it is healthy…\n`);
  const started = Date.now();
  // Its views build from offset 0 while orders keep flowing: show their lag falling (the dashboard shows it too).
  let maxLag = 0;
  let lastShown = 0;
  while (Date.now() - started < ANSWER_TIMEOUT_MS) {
    if (fs.existsSync(answerFile(name))) {
      const answer = JSON.parse(fs.readFileSync(answerFile(name), 'utf8'));
      fs.rmSync(answerFile(name), { force: true });
      fs.rmSync(startedFile(name), { force: true });
      if (!answer.ok) throw new Error(`${name}: ${answer.message}`);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const caughtUp = maxLag > 0 ? `; caught up ${maxLag.toLocaleString('en')} records from offset 0` : '';
      process.stdout.write(`${name}: ${answer.message} ${answer.url} (${secs} s after the request${caughtUp})\n`);
      return;
    }
    if (fs.existsSync(startedFile(name)) && Date.now() - lastShown >= 1_000) {
      const lag = await readyLag(JSON.parse(fs.readFileSync(startedFile(name), 'utf8')).url);
      if (lag !== null) {
        lastShown = Date.now();
        maxLag = Math.max(maxLag, lag);
        process.stdout.write(`${name}: lag ${lag.toLocaleString('en')} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      }
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
