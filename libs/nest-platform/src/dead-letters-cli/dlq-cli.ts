import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { KafkajsClient, readTopicRange, type Admin, type IncomingRecord, type KafkaClient, kafkaSecurityFromEnv } from '@shop/kafka';
import { z } from 'zod';
import type { DeadLetterReplayBody } from '../admin/dead-letters.api';
import { ConfigError, env, parseEnv } from '../config/env';
import { DLQ_USAGE, UsageError, parseDlqArgs, resolveDeadLetterTopic, resolveReplayTarget, type DlqCommand } from './dlq-args';
import { formatListing, formatReplay, formatShown, listItemOf, shownOf, toJson, type DlqListing } from './dlq-format';

/**
 * `npm run dlq -- list|show|replay …` (libs/nest-platform/scripts/dlq.ts): reads dead-letter topics through the
 * project's Kafka port, and replays a view's letters through its service's admin endpoint. Returns the exit
 * code; expected failures (broker or service away, no such topic, a refused replay) are one line on stderr.
 */

/** Exit codes: 0 done, 1 failed or refused, 2 a bad command line, 78 a bad environment (as the services). */
export const DlqExit = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

export const LOCAL_BROKERS = '127.0.0.1:19092';

const dlqEnv = {
  KAFKA_BROKERS: env.brokers().prefault(LOCAL_BROKERS),
  TOPIC_PREFIX: env.topicPrefix(),
  SERVICE_HOST: z
    .string()
    .regex(/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])$/, 'must be a host name or address, e.g. 127.0.0.1')
    .default('127.0.0.1'),
  /** The service's ADMIN_TOKEN: replay calls its /admin/* endpoint with it as a bearer token. */
  ADMIN_TOKEN: env.secret(),
};
type DlqEnv = z.infer<z.ZodObject<typeof dlqEnv>>;

export interface DlqIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The HTTP client of replay (default: the global fetch). */
  readonly fetch?: typeof fetch;
}

/** An expected failure: its message is all the user needs (no stack). */
export class DlqFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DlqFailure';
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function runDlq(argv: readonly string[], io: DlqIo): Promise<number> {
  let command: DlqCommand;
  let config: DlqEnv;
  try {
    command = parseDlqArgs(argv);
    if (command.kind === 'help') {
      io.stdout(`${DLQ_USAGE}\n`);
      return DlqExit.ok;
    }
    config = parseEnv('dlq', dlqEnv, io.env);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`dlq: ${error.message}\n\n${DLQ_USAGE}\n`);
      return DlqExit.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return DlqExit.config;
    }
    throw error;
  }
  try {
    if (command.kind === 'replay') return await replay(command, config, io);
    const { dlq } = resolveDeadLetterTopic(command.topic, config.TOPIC_PREFIX);
    return await withAdmin(config, async (client, admin) => {
      await requireTopic(admin, dlq, config);
      if (command.kind === 'list') {
        const listing = await list(client, admin, dlq, command, config.TOPIC_PREFIX);
        io.stdout(`${command.json ? toJson(listing) : formatListing(listing, command.consumer)}\n`);
      } else {
        const record = await readOne(client, admin, dlq, command.partition, command.offset, config.TOPIC_PREFIX);
        const shown = shownOf(record);
        io.stdout(`${command.json ? toJson(shown) : formatShown(shown)}\n`);
      }
      return DlqExit.ok;
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`dlq: ${error.message}\n`);
      return DlqExit.usage;
    }
    if (error instanceof DlqFailure) {
      io.stderr(`dlq: ${error.message}\n`);
      return DlqExit.failed;
    }
    // Not an expected failure: a bug, or something nobody has met yet. The stack helps then.
    io.stderr(`dlq: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return DlqExit.failed;
  }
}

async function withAdmin<T>(config: DlqEnv, work: (client: KafkaClient, admin: Admin) => Promise<T>): Promise<T> {
  const brokers = config.KAFKA_BROKERS.join(',');
  // Few retries and no kafkajs log lines: a command line reports an unreachable broker itself, in a second or two.
  const security = kafkaSecurityFromEnv();
  const client = new KafkajsClient({ clientId: 'dlq-cli', brokers: config.KAFKA_BROKERS, logLevel: 'nothing', retries: 3, security });
  let admin: Admin;
  try {
    admin = await client.admin();
  } catch (error) {
    // A broker that asks for SASL closes the connection of a client that does not sign in.
    const hint = security.sasl ? '' : '; or does it ask for credentials? (KAFKA_SASL_*; locally: eval "$(node infra/local/cli.mjs env)")';
    throw new DlqFailure(
      `cannot reach Kafka at ${brokers} (KAFKA_BROKERS): ${messageOf(error)}; is the broker running? (npm run infra:status)${hint}`,
    );
  }
  try {
    return await work(client, admin);
  } catch (error) {
    if (error instanceof DlqFailure || error instanceof UsageError) throw error;
    throw new DlqFailure(`reading from Kafka at ${brokers} failed: ${messageOf(error)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function requireTopic(admin: Admin, dlq: string, config: DlqEnv): Promise<void> {
  const topics = await admin.listTopics();
  if (topics.includes(dlq)) return;
  const prefix = config.TOPIC_PREFIX;
  const others = topics.filter((t) => t.endsWith('.dlq') && t.startsWith(prefix)).sort();
  const shown = others.length > 20 ? [...others.slice(0, 20), `… ${others.length - 20} more`] : others;
  const where = prefix ? `TOPIC_PREFIX=${prefix}` : 'TOPIC_PREFIX is empty';
  throw new DlqFailure(
    `no topic ${dlq} on ${config.KAFKA_BROKERS.join(',')} (${where}); ` +
      (shown.length > 0 ? `dead-letter topics there: ${shown.join(', ')}` : 'there are no dead-letter topics there'),
  );
}

const readerGroup = (prefix: string) => `${prefix}dlq-cli.${randomUUID()}`;

async function list(
  client: KafkaClient,
  admin: Admin,
  dlq: string,
  command: Extract<DlqCommand, { kind: 'list' }>,
  prefix: string,
): Promise<DlqListing> {
  const wanted = command.consumer === undefined ? undefined : new Set([command.consumer, `${prefix}${command.consumer}`]);
  const items: DlqListing['items'] = [];
  let total = 0;
  let foreign = 0;
  await readTopicRange(client, admin, {
    topic: dlq,
    groupId: readerGroup(prefix),
    onRecords: async (_partition, records) => {
      for (const record of records) {
        const item = listItemOf(record);
        if (wanted && (item.consumer === null || !wanted.has(item.consumer))) continue;
        total += 1;
        if (item.consumer === null) foreign += 1;
        // Only what is printed is kept: a big DLQ is counted, not held.
        if (items.length < command.limit) items.push(item);
      }
    },
  });
  // Partition by partition as they arrived; print in (partition, offset) order.
  items.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  return { topic: dlq, total, foreign, items };
}

async function readOne(
  client: KafkaClient,
  admin: Admin,
  dlq: string,
  partition: number,
  offset: bigint,
  prefix: string,
): Promise<IncomingRecord> {
  const watermarks = await admin.fetchOffsets(dlq);
  const mark = watermarks.find((w) => w.partition === partition);
  if (!mark) throw new DlqFailure(`${dlq} has no partition ${partition} (it has ${watermarks.length}: 0..${watermarks.length - 1})`);
  if (offset < mark.low || offset >= mark.high) {
    const holds = mark.low === mark.high ? 'is empty' : `holds offsets ${mark.low}..${mark.high - 1n}`;
    throw new DlqFailure(`no record at ${partition}:${offset} of ${dlq} (partition ${partition} ${holds})`);
  }
  // Every other partition starts at its end: only this one is read, and only until the record is there.
  const from = new Map(watermarks.map((w) => [w.partition, w.partition === partition ? offset : w.high]));
  let found: IncomingRecord | undefined;
  await readTopicRange(client, admin, {
    topic: dlq,
    groupId: readerGroup(prefix),
    from,
    stillWanted: () => found === undefined,
    onRecords: async (_partition, records) => {
      found ??= records.find((r) => r.offset === offset);
    },
  });
  if (!found) throw new DlqFailure(`no record at ${partition}:${offset} of ${dlq}`);
  return found;
}

function isReplayBody(body: unknown): body is DeadLetterReplayBody {
  const b = body as Partial<DeadLetterReplayBody> | null;
  return typeof b?.view === 'string' && typeof b.applied === 'number' && typeof b.stillFailing === 'number' && Array.isArray(b.failures);
}

/** Nest's error body: { statusCode, message: string | string[], error }. */
function reasonOf(body: unknown, text: string): string {
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return text.trim().slice(0, 500) || '(no body)';
}

const HINTS: Readonly<Record<number, string>> = {
  401: " (set ADMIN_TOKEN to the service's token)",
  409: ' (try again once it is over)',
  422: '',
  503: ' (what was applied stays applied; replay again once the database and the broker are back)',
};

async function replay(command: Extract<DlqCommand, { kind: 'replay' }>, config: DlqEnv, io: DlqIo): Promise<number> {
  const target = resolveReplayTarget(command, { prefix: config.TOPIC_PREFIX, host: config.SERVICE_HOST });
  const who = target.service ?? 'the service';
  const url = `${target.baseUrl}/admin/views/${encodeURIComponent(target.view)}/dead-letters/replay`;
  let response: Response;
  try {
    const headers: Record<string, string> = config.ADMIN_TOKEN === undefined ? {} : { authorization: `Bearer ${config.ADMIN_TOKEN}` };
    response = await (io.fetch ?? fetch)(url, { method: 'POST', headers });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : messageOf(error);
    throw new DlqFailure(`cannot reach ${who} at ${target.baseUrl} (${why}): is it running? (--url for another address)`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    throw new DlqFailure(
      `replay of view ${target.view} refused by ${who} (${response.status} ${STATUS_CODES[response.status] ?? response.statusText}): ${reasonOf(body, text)}${HINTS[response.status] ?? ''}`,
    );
  }
  if (!isReplayBody(body))
    throw new DlqFailure(`${who} at ${target.baseUrl} answered ${response.status} without a replay report: ${text.slice(0, 200)}`);
  io.stdout(`${command.json ? toJson(body) : formatReplay(who, body)}\n`);
  return body.complete ? DlqExit.ok : DlqExit.failed;
}
