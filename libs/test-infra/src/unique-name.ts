import { randomBytes } from 'node:crypto';

const MAX_LENGTH = 50;

// Per process: time + randomness, so names differ between runs that share a long-lived broker.
const runTag = `${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`;
let counter = 0;

/**
 * A name unique per test run, jest worker and call, safe as a Kafka topic or consumer group name and as
 * an unquoted PostgreSQL identifier: lowercase `[a-z0-9_]`, starts with a letter, at most 50 characters.
 * The prefix is sanitised and shortened to fit; the unique suffix is never cut.
 */
export function uniqueName(prefix: string): string {
  counter += 1;
  const worker = (process.env['JEST_WORKER_ID'] ?? '0').replace(/[^0-9]/g, '') || '0';
  const suffix = `${runTag}w${worker}_${counter.toString(36)}`;
  let head = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (head === '' || !/^[a-z]/.test(head)) head = `t${head}`;
  head = head.slice(0, MAX_LENGTH - suffix.length - 1).replace(/_+$/, '');
  return `${head}_${suffix}`;
}
