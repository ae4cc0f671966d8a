/**
 * `npm run bench:starts` (a script that prints, not a test): N times in a row, restart the local broker
 * (a fresh start: the state in which services used to race each other's topic creation), then start all four
 * services at once with a new topic prefix and fresh databases, and wait until each is ready. Prints each
 * start's outcome and time, and the count of failures. STARTS (20).
 */
import { localDown, localEnsure } from '../harness/local-infra';
import { SystemUnderTest } from '../harness/system';

const STARTS = Number(process.env['STARTS'] ?? 20);
const say = (message: string) => process.stdout.write(`${message}\n`);

async function main(): Promise<void> {
  const rows: string[] = [];
  let failures = 0;
  for (let run = 1; run <= STARTS; run++) {
    await localDown(['kafka']);
    await localEnsure(['kafka']);
    const system = new SystemUnderTest();
    const started = Date.now();
    let outcome: string;
    try {
      await system.start(120_000);
      outcome = `ready   ${String(Date.now() - started).padStart(6)} ms`;
      if (system.crashes.length > 0) throw new Error(system.crashes.join('; '));
    } catch (error) {
      failures++;
      outcome = `FAILED  ${(error as Error).message.split('\n')[0]}`;
    } finally {
      await system.stop();
    }
    rows.push(`  start ${String(run).padStart(2)}/${STARTS}: ${outcome}`);
    say(rows[rows.length - 1] ?? '');
  }
  // Connect needs the broker it had: bring it back if the broker restarts took it down.
  await localEnsure(['kafka', 'connect']).catch(() => undefined);
  say(`\n${STARTS} starts right after a fresh broker start, four services at once each: ${STARTS - failures} ready, ${failures} failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

void main();
