import type { DeadLetterInfo, DeadLetterPage, DeadLetterReplayReport, ListedDeadLetter } from '@shop/kafka';
import { z } from 'zod';
import { apiModel } from '../openapi/api-schema';
import { pageOf, schemaFor } from '../openapi/api-shapes';

/** The HTTP bodies of the dead-letter endpoints: offsets as decimal strings (JSON has no 64-bit integers). */

export interface DeadLetterItem {
  /** Where the letter is on `<topic>.dlq`. */
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly consumer: string;
  readonly error: { readonly type: string; readonly message: string };
  readonly attempts: number;
  readonly failedAt: string;
  readonly original: { readonly topic: string; readonly partition: number; readonly offset: string; readonly timestamp: number };
  readonly headers: Readonly<Record<string, string>>;
  readonly value: string | null;
  readonly pending: boolean;
}

export interface DeadLetterPageBody {
  readonly total: number;
  readonly pending: number;
  readonly limit: number;
  readonly offset: number;
  readonly items: DeadLetterItem[];
}

export interface ReplayFailureBody {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly original: { readonly partition: number; readonly offset: string };
  readonly error: string;
}

export interface DeadLetterReplayBody {
  readonly view: string;
  readonly topic: string;
  readonly applied: number;
  readonly stillFailing: number;
  readonly otherConsumers: number;
  readonly alreadyReplayed: number;
  readonly complete: boolean;
  readonly failures: ReplayFailureBody[];
}

const count = z.number().int().nonnegative();
const offset = z.string().regex(/^\d+$/).describe('a Kafka offset, as a decimal string');

const deadLetterItem = schemaFor<DeadLetterItem>()(
  z.object({
    partition: count.describe('partition of the letter on <topic>.dlq'),
    offset: offset.describe('offset of the letter on <topic>.dlq'),
    key: z.string().nullable().describe('the original record key'),
    consumer: z.string().describe('dlq.consumer: the consumer group that gave up on the record'),
    error: z.object({ type: z.string(), message: z.string() }).describe('dlq.error.type and dlq.error.message'),
    attempts: count,
    failedAt: z.string().describe('dlq.failed.at, ISO-8601'),
    original: z.object({ topic: z.string(), partition: count, offset, timestamp: count.describe('ms since the epoch') }),
    headers: z.record(z.string(), z.string()).describe("the original record's own headers (trace context…)"),
    value: z.string().nullable().describe('the original value as UTF-8 text, at most 2,000 characters (null: tombstone)'),
    pending: z.boolean().describe('not passed by a replay yet (nor superseded by a rebuild): the next replay will try it'),
  }),
);

export const DeadLetterPageModel = apiModel(
  'DeadLetterPage',
  schemaFor<DeadLetterPageBody>()(
    pageOf(deadLetterItem, "the view's letters, by partition and offset").extend({
      pending: count.describe('letters of every page that the next replay will try'),
    }),
  ),
);

export const DeadLetterReplayModel = apiModel(
  'DeadLetterReplay',
  schemaFor<DeadLetterReplayBody>()(
    z.object({
      view: z.string(),
      topic: z.string().describe('the dead-letter topic, <topic>.dlq'),
      applied: count.describe('letters applied to the view now'),
      stillFailing: count.describe('letters of the view that failed again: they stay on the DLQ, not dead-lettered again'),
      otherConsumers: count.describe("records of the DLQ that are other consumers' letters: passed over"),
      alreadyReplayed: count.describe('letters another replay (another instance) applied first'),
      complete: z.boolean().describe('false when the service began stopping: the next replay resumes'),
      failures: z
        .array(
          z.object({
            partition: count,
            offset,
            key: z.string().nullable(),
            original: z.object({ partition: count, offset }),
            error: z.string().describe('why it fails now'),
          }),
        )
        .describe('the first 100 letters that failed again, with the error'),
    }),
  ),
);

/** A letter's headers as JSON (offsets as decimal strings): the admin API's items and `npm run dlq` print the same. */
export function deadLetterInfoBody(letter: DeadLetterInfo): Omit<DeadLetterItem, 'value' | 'pending'> {
  return {
    partition: letter.partition,
    offset: letter.offset.toString(),
    key: letter.key,
    consumer: letter.consumer,
    error: { type: letter.errorType, message: letter.errorMessage },
    attempts: letter.attempts,
    failedAt: letter.failedAt,
    original: {
      topic: letter.original.topic,
      partition: letter.original.partition,
      offset: letter.original.offset.toString(),
      timestamp: letter.original.timestamp,
    },
    headers: letter.originalHeaders,
  };
}

export function deadLetterItemBody(letter: ListedDeadLetter): DeadLetterItem {
  return { ...deadLetterInfoBody(letter), value: letter.value, pending: letter.pending };
}

export function deadLetterPageBody(page: DeadLetterPage): DeadLetterPageBody {
  return { total: page.total, pending: page.pending, limit: page.limit, offset: page.offset, items: page.items.map(deadLetterItemBody) };
}

export function deadLetterReplayBody(report: DeadLetterReplayReport): DeadLetterReplayBody {
  return {
    view: report.view,
    topic: report.topic,
    applied: report.applied,
    stillFailing: report.stillFailing,
    otherConsumers: report.otherConsumers,
    alreadyReplayed: report.alreadyReplayed,
    complete: report.complete,
    failures: report.failures.map((f) => ({
      partition: f.partition,
      offset: f.offset.toString(),
      key: f.key,
      original: { partition: f.originalPartition, offset: f.originalOffset.toString() },
      error: f.error,
    })),
  };
}
