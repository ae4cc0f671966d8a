import { readDeadLetter, type IncomingRecord } from '@shop/kafka';
import { deadLetterInfoBody, type DeadLetterReplayBody } from '../admin/dead-letters.api';

/** What `npm run dlq` prints (pure: records and answers in, text or JSON out). Offsets as decimal strings. */

export interface DlqListItem {
  /** Where the record is on `<topic>.dlq`. */
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** dlq.consumer: the consumer group (`[<prefix>]<service>.<view>` for a view) that gave up; null: no dlq.* headers (not the platform's letter). */
  readonly consumer: string | null;
  readonly error: { readonly type: string; readonly message: string } | null;
  readonly attempts: number | null;
  readonly failedAt: string | null;
  readonly original: { readonly topic: string; readonly partition: number; readonly offset: string; readonly timestamp: number } | null;
  /** The original record's own headers (trace context…), the dlq.* ones left out. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface DlqListing {
  readonly topic: string;
  /** Records of the topic (of --consumer's, when given). */
  readonly total: number;
  /** Records whose dlq.* headers are not the platform's (never replayed). */
  readonly foreign: number;
  readonly items: DlqListItem[];
}

export type DlqValue =
  | { readonly encoding: 'null' }
  | { readonly encoding: 'json'; readonly bytes: number; readonly json: unknown }
  | { readonly encoding: 'text'; readonly bytes: number; readonly text: string }
  | { readonly encoding: 'binary'; readonly bytes: number; readonly base64: string };

export interface DlqShown extends Omit<DlqListItem, 'headers'> {
  readonly topic: string;
  /** Every header of the record, dlq.* included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: number;
  readonly value: DlqValue;
}

export function listItemOf(record: IncomingRecord): DlqListItem {
  const letter = readDeadLetter(record);
  const base = {
    partition: record.partition,
    offset: record.offset.toString(),
    key: record.key === null ? null : record.key.toString('utf8'),
  };
  if (!letter) return { ...base, consumer: null, error: null, attempts: null, failedAt: null, original: null, headers: record.headers };
  return deadLetterInfoBody(letter);
}

/** Valid UTF-8 without control characters other than whitespace: shown as text. */
function isText(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  // eslint-disable-next-line no-control-regex
  return Buffer.from(text, 'utf8').equals(bytes) && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}

export function valueOf(bytes: Buffer | null): DlqValue {
  if (bytes === null) return { encoding: 'null' };
  if (isText(bytes)) {
    const text = bytes.toString('utf8');
    try {
      return { encoding: 'json', bytes: bytes.length, json: JSON.parse(text) as unknown };
    } catch {
      return { encoding: 'text', bytes: bytes.length, text };
    }
  }
  return { encoding: 'binary', bytes: bytes.length, base64: bytes.toString('base64') };
}

export function shownOf(record: IncomingRecord): DlqShown {
  return { ...listItemOf(record), topic: record.topic, headers: record.headers, timestamp: record.timestamp, value: valueOf(record.value) };
}

const LIST_MESSAGE_CHARS = 200;
const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const keyText = (key: string | null) => (key === null ? '(null key)' : `key ${JSON.stringify(key)}`);
const timeText = (ms: number) => (Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : '?');

/** Two lines per record: where it is and where it came from, then the error. */
export function formatListItem(item: DlqListItem): string {
  const at = `${item.partition}:${item.offset}`;
  if (item.consumer === null || item.original === null || item.error === null) {
    return `${at}  ${keyText(item.key)}  (no dlq.* headers: not a dead letter of the platform)`;
  }
  const from = `${item.original.topic} ${item.original.partition}:${item.original.offset}`;
  return (
    `${at}  ${keyText(item.key)}  from ${from}  rejected by ${item.consumer}  at ${item.failedAt || '?'} (attempts ${item.attempts ?? '?'})\n` +
    `    ${item.error.type}: ${oneLine(item.error.message, LIST_MESSAGE_CHARS)}`
  );
}

export function formatListing(listing: DlqListing, consumer?: string): string {
  const whose = consumer ? ` of ${consumer}` : '';
  const head =
    listing.total === 0
      ? `${listing.topic}: no dead letters${whose}`
      : `${listing.topic}: ${listing.total} dead letter${listing.total === 1 ? '' : 's'}${whose}` +
        (listing.items.length < listing.total ? ` (the first ${listing.items.length} shown; --limit for more)` : '') +
        (listing.foreign > 0 ? `, ${listing.foreign} without the platform's dlq.* headers` : '');
  return [head, ...listing.items.map(formatListItem)].join('\n');
}

function formatValue(value: DlqValue): string {
  switch (value.encoding) {
    case 'null':
      return 'value: null (a tombstone)';
    case 'json':
      return `value (JSON, ${value.bytes} bytes):\n${JSON.stringify(value.json, null, 2)}`;
    case 'text':
      return `value (text, not JSON, ${value.bytes} bytes):\n${value.text}`;
    case 'binary':
      return `value: ${value.bytes} bytes, not UTF-8 text (--json gives them as base64)`;
  }
}

/** A multi-line text (an error message) under its label: blank lines dropped, continuation lines indented. */
const indented = (text: string, by: number): string =>
  text
    .trim()
    .split(/\s*\n\s*/)
    .join(`\n${' '.repeat(by)}`);

export function formatShown(shown: DlqShown): string {
  const rows: [string, string][] = [['key', shown.key === null ? '(null)' : JSON.stringify(shown.key)]];
  if (shown.consumer !== null && shown.original !== null && shown.error !== null) {
    rows.push(
      ['rejected by', shown.consumer],
      ['error', `${shown.error.type}: ${shown.error.message}`],
      ['attempts', String(shown.attempts ?? '?')],
      ['failed at', shown.failedAt || '?'],
      [
        'original',
        `${shown.original.topic} ${shown.original.partition}:${shown.original.offset}, written ${timeText(shown.original.timestamp)}`,
      ],
    );
  } else {
    rows.push(['note', 'no dlq.* headers: not a dead letter of the platform']);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  const headers = Object.entries(shown.headers).sort(([a], [b]) => a.localeCompare(b));
  return [
    `${shown.topic} ${shown.partition}:${shown.offset}`,
    ...rows.map(([name, text]) => `  ${name.padEnd(width)}  ${indented(text, width + 4)}`),
    `headers (${headers.length}):`,
    ...headers.map(([name, text]) => `  ${name}: ${indented(text, 4)}`),
    formatValue(shown.value),
  ].join('\n');
}

export function formatReplay(service: string, body: DeadLetterReplayBody): string {
  const lines = [
    `${service}: view ${body.view}, dead letters of ${body.topic}`,
    `  applied           ${body.applied}`,
    `  still failing     ${body.stillFailing}${body.stillFailing > 0 ? ' (left on the DLQ; a later replay does not try them again)' : ''}`,
    `  already replayed  ${body.alreadyReplayed}`,
    `  other consumers   ${body.otherConsumers} (their letters, passed over)`,
  ];
  if (body.failures.length > 0) {
    lines.push(body.failures.length < body.stillFailing ? `still failing (the first ${body.failures.length}):` : 'still failing:');
    for (const f of body.failures) {
      lines.push(
        `  ${f.partition}:${f.offset}  ${keyText(f.key)}  (original ${f.original.partition}:${f.original.offset})  ${oneLine(f.error, LIST_MESSAGE_CHARS)}`,
      );
    }
  }
  if (!body.complete) lines.push('incomplete: the service began stopping; replay again to resume where it stopped');
  return lines.join('\n');
}

/** JSON for --json: bigint-free by construction, two-space indented. */
export const toJson = (value: unknown): string => JSON.stringify(value, null, 2);
