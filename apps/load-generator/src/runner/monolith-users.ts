import { randomUUID } from 'node:crypto';
import type { UserRecord } from '@shop/contracts';
import type { KafkaClient } from '@shop/kafka';
import {
  expectedUsers,
  monolithUserBody,
  notYetOnTopic,
  userDifferences,
  type MonolithUserBody,
  type UserChange,
} from '../domain/monolith-users';
import { requestJson, type PostOptions, type PostOutcome } from './http-client';
import { pool } from './pool';

export interface MonolithUserPhaseOptions {
  /** Base URL of the legacy monolith (`POST /users`, `PATCH|DELETE /users/:id`). */
  readonly monolithUrl: string;
  readonly users: readonly UserRecord[];
  /** Applied in this order after every user was created. */
  readonly changes: readonly UserChange[];
  readonly concurrency?: number;
  readonly http?: PostOptions;
  readonly log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface MonolithUserPhaseResult {
  readonly created: number;
  /** 409 answers where the user already existed as expected (a re-run). */
  readonly alreadyThere: number;
  readonly updated: number;
  /** Including 404 answers for users already deleted (a re-run). */
  readonly deleted: number;
  readonly retries: number;
  /** What each id must end up as (null = deleted): what the topic has to show. */
  readonly expected: ReadonlyMap<string, MonolithUserBody | null>;
  readonly problems: readonly string[];
}

function describe(outcome: PostOutcome): string {
  const body = typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body);
  return `${outcome.status === 0 ? `no answer (${outcome.error ?? 'unknown error'})` : `HTTP ${outcome.status}`} after ${outcome.attempts} attempt(s): ${(body ?? '').slice(0, 300)}`;
}

/**
 * Creates the users through the monolith's API with the scenario's ids (bounded concurrency; 5xx and
 * connection errors retried with bounded backoff), then applies `changes` with PATCH / DELETE. A 409 on
 * create counts as success when `GET /users/:id` shows that very user (as created, or as it ends up after
 * the changes: a re-run); a 404 on delete counts as already deleted.
 */
export async function runMonolithUserPhase(options: MonolithUserPhaseOptions): Promise<MonolithUserPhaseResult> {
  const log = options.log ?? (() => undefined);
  const base = `${options.monolithUrl.replace(/\/+$/, '')}/users`;
  const expected = expectedUsers(options.users, options.changes);
  const problems: string[] = [];
  const problem = (line: string) => {
    if (problems.length < 50) problems.push(line);
  };
  let created = 0;
  let alreadyThere = 0;
  let updated = 0;
  let deleted = 0;
  let retries = 0;
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const outcome = await requestJson(method, url, body, options.http);
    retries += Math.max(0, outcome.attempts - 1);
    return outcome;
  };

  await pool(
    options.users.length,
    options.concurrency ?? 8,
    () => 0,
    async (i) => {
      const body = monolithUserBody(options.users[i] as UserRecord);
      const outcome = await call('POST', base, body);
      if (outcome.status === 201) {
        const diff = userDifferences(body, outcome.body);
        if (diff.length === 0) created += 1;
        else problem(`user ${body.id}: created, but the answer differs in ${diff.join(', ')}`);
        return;
      }
      if (outcome.status === 409) {
        const existing = await call('GET', `${base}/${encodeURIComponent(body.id)}`);
        const final = expected.get(body.id);
        const matches =
          existing.status === 200 &&
          (userDifferences(body, existing.body).length === 0 || (final != null && userDifferences(final, existing.body).length === 0));
        if (matches) alreadyThere += 1;
        else problem(`user ${body.id}: 409 on create and the existing user is not this one (GET: ${describe(existing)})`);
        return;
      }
      problem(`user ${body.id}: expected 201, got ${describe(outcome)}`);
    },
  );
  log('users created via the monolith', { created, alreadyThere, retries });

  // Changes in their order (one user may have several; sequential keeps that order simple and exact).
  for (const change of options.changes) {
    const url = `${base}/${encodeURIComponent(change.id)}`;
    if (change.kind === 'update') {
      const outcome = await call('PATCH', url, change.patch);
      if (outcome.status === 200) updated += 1;
      else problem(`update of ${change.id}: expected 200, got ${describe(outcome)}`);
    } else {
      const outcome = await call('DELETE', url);
      if (outcome.status === 204 || outcome.status === 404) deleted += 1;
      else problem(`delete of ${change.id}: expected 204, got ${describe(outcome)}`);
    }
  }
  log('user changes applied via the monolith', { updated, deleted });
  return { created, alreadyThere, updated, deleted, retries, expected, problems };
}

/**
 * Waits until change data capture has put every user's expected state on `topic` (the latest record per
 * id, a tombstone for a deleted one), reading the topic from the beginning in a fresh consumer group.
 * Resolves with the ids still missing when `timeoutMs` runs out (empty: all there).
 */
export async function waitForUsersOnTopic(
  kafka: KafkaClient,
  topic: string,
  expected: ReadonlyMap<string, MonolithUserBody | null>,
  timeoutMs: number,
): Promise<string[]> {
  const latest = new Map<string, unknown>();
  const consumer = kafka.messageConsumer();
  let pending = [...expected.keys()];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let lastCheck = 0;
  const check = () => {
    pending = notYetOnTopic(expected, latest);
    if (pending.length === 0) done();
  };
  await consumer.start({
    groupId: `load-generator-users-wait-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    eachRecord: async (record) => {
      const id = record.key?.toString('utf8');
      if (id === undefined || !expected.has(id)) return;
      let value: unknown = null;
      if (record.value !== null) {
        try {
          value = JSON.parse(record.value.toString('utf8'));
        } catch {
          value = undefined;
        }
      }
      latest.set(id, value);
      if (Date.now() - lastCheck > 200) {
        lastCheck = Date.now();
        check();
      }
    },
  });
  const poll = setInterval(check, 500);
  const timer = setTimeout(done, timeoutMs);
  check();
  await finished;
  clearInterval(poll);
  clearTimeout(timer);
  await consumer.stop();
  return notYetOnTopic(expected, latest);
}
