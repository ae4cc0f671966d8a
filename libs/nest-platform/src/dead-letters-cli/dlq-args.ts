import { parseArgs } from 'node:util';
import { deadLetterTopicName, serviceManifest, type ServiceEntry } from '@shop/contracts';

/**
 * The arguments of `npm run dlq -- …` (pure: no I/O). A bad command line is a UsageError, printed with the
 * usage text and exit code 2.
 */

export const DLQ_USAGE = `usage: npm run dlq -- <command>

  list <topic> [--consumer <group>] [--limit <n>] [--json]
      the records of <topic>.dlq (<topic> or its .dlq name; TOPIC_PREFIX is applied) with their dlq.* headers
  show <topic> <partition>:<offset> [--json]
      one record of <topic>.dlq: every header and its value
  replay <view> (--service <name> | --url <base-url>) [--json]
  replay <service>.<view> [--url <base-url>] [--json]
      applies the view's dead letters to the view, exactly once (POST /admin/views/<view>/dead-letters/replay
      of the service; nothing is produced to the original topic)

environment: KAFKA_BROKERS (default 127.0.0.1:19092), TOPIC_PREFIX (default ''),
             SERVICE_HOST (default 127.0.0.1: replay's host, with the service's port of the services manifest),
             ADMIN_TOKEN (the service's: replay sends it as Authorization: Bearer)`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Records a listing prints unless --limit says otherwise (every record is still counted). */
export const DEFAULT_LIST_LIMIT = 100;

export type DlqCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'list'; readonly topic: string; readonly consumer?: string; readonly limit: number; readonly json: boolean }
  | { readonly kind: 'show'; readonly topic: string; readonly partition: number; readonly offset: bigint; readonly json: boolean }
  | { readonly kind: 'replay'; readonly view: string; readonly service?: string; readonly url?: string; readonly json: boolean };

const OPTIONS_OF: Record<Exclude<DlqCommand['kind'], 'help'>, readonly string[]> = {
  list: ['consumer', 'limit', 'json'],
  show: ['json'],
  replay: ['service', 'url', 'json'],
};

function positionals(kind: string, given: readonly string[], names: readonly string[]): string[] {
  if (given.length !== names.length) {
    const expected = names.map((n) => `<${n}>`).join(' ');
    throw new UsageError(`${kind} takes ${expected} (got ${given.length === 0 ? 'nothing' : given.map((g) => `"${g}"`).join(' ')})`);
  }
  return [...given];
}

/** `<partition>:<offset>`, both whole numbers. */
export function parsePosition(text: string): { partition: number; offset: bigint } {
  const match = /^(\d{1,9}):(\d{1,19})$/.exec(text);
  if (!match) throw new UsageError(`"${text}" is not <partition>:<offset> (e.g. 0:42)`);
  return { partition: Number(match[1]), offset: BigInt(match[2] ?? '0') };
}

export function parseDlqArgs(argv: readonly string[]): DlqCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // parseArgs' own messages are clear ("Unknown option '--nope'"); only its error class is not ours.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals: rest } = parsed;
  const [kind, ...args] = rest;
  if (values.help || kind === undefined || kind === 'help') return { kind: 'help' };
  if (kind !== 'list' && kind !== 'show' && kind !== 'replay') throw new UsageError(`unknown command "${kind}" (list | show | replay)`);
  const misplaced = Object.keys(values).filter((name) => !OPTIONS_OF[kind].includes(name));
  if (misplaced.length > 0) throw new UsageError(`${kind} takes no ${misplaced.map((n) => `--${n}`).join(', ')}`);
  const json = values.json === true;
  if (kind === 'list') {
    const [topic = ''] = positionals(kind, args, ['topic']);
    return { kind, topic, json, limit: parseLimit(values.limit), ...(values.consumer ? { consumer: values.consumer } : {}) };
  }
  if (kind === 'show') {
    const [topic = '', position = ''] = positionals(kind, args, ['topic', 'partition>:<offset']);
    return { kind, topic, json, ...parsePosition(position) };
  }
  const [view = ''] = positionals(kind, args, ['view']);
  if (values.url !== undefined) parseBaseUrl(values.url);
  return {
    kind,
    view,
    json,
    ...(values.service !== undefined ? { service: values.service } : {}),
    ...(values.url !== undefined ? { url: values.url } : {}),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      consumer: { type: 'string' },
      limit: { type: 'string' },
      service: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIST_LIMIT;
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`--limit must be a whole number (got "${raw}")`);
  return Number(raw);
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url must be a base URL such as http://127.0.0.1:3002 (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be http:// or https:// (got "${raw}")`);
  return url;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * The original topic and its dead-letter topic for what was typed: `orders`, `orders.dlq`, or either with the
 * prefix already on. TOPIC_PREFIX is applied to a name that does not start with it.
 */
export function resolveDeadLetterTopic(typed: string, prefix: string): { readonly original: string; readonly dlq: string } {
  if (!TOPIC_NAME.test(typed)) throw new UsageError(`"${typed}" is not a topic name (letters, digits, ".", "_" and "-")`);
  const bare = typed.endsWith('.dlq') ? typed.slice(0, -'.dlq'.length) : typed;
  if (bare.length === 0) throw new UsageError(`"${typed}" names no topic`);
  const original = prefix && !bare.startsWith(prefix) ? `${prefix}${bare}` : bare;
  return { original, dlq: deadLetterTopicName(original) };
}

/** Where a replay goes: the service's base URL and the view's name. */
export interface ReplayTarget {
  readonly view: string;
  /** Undefined when only --url was given (the service is whatever answers there). */
  readonly service?: string;
  readonly baseUrl: string;
}

function serviceWithViews(name: string, manifest: readonly ServiceEntry[]): ServiceEntry {
  const withViews = manifest.filter((s) => s.kafka && s.consumes.length > 0);
  const service = manifest.find((s) => s.name === name);
  if (!service) throw new UsageError(`"${name}" is not a service of the manifest (${withViews.map((s) => s.name).join(', ')})`);
  if (!withViews.includes(service)) {
    throw new UsageError(`${name} has no views to replay into (services with views: ${withViews.map((s) => s.name).join(', ')})`);
  }
  return service;
}

/**
 * The view, its service and the base URL of a replay. `<view>` may be the consumer a listing prints
 * (`[<prefix>]<service>.<view>`, the materializer's group): the service comes from it. Otherwise --service
 * names it, or --url alone points at the service. The URL is --url, else http://<SERVICE_HOST>:<port of the manifest>.
 */
export function resolveReplayTarget(
  command: Extract<DlqCommand, { kind: 'replay' }>,
  context: { readonly prefix: string; readonly host: string; readonly manifest?: readonly ServiceEntry[] },
): ReplayTarget {
  const manifest = context.manifest ?? serviceManifest;
  let view = command.view;
  let service = command.service;
  const unprefixed = context.prefix && view.startsWith(context.prefix) ? view.slice(context.prefix.length) : view;
  const dot = unprefixed.indexOf('.');
  if (dot > 0) {
    const fromConsumer = unprefixed.slice(0, dot);
    if (service !== undefined && service !== fromConsumer) {
      throw new UsageError(`"${command.view}" is a view of ${fromConsumer}, not of --service ${service}`);
    }
    service = fromConsumer;
    view = unprefixed.slice(dot + 1);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(view)) throw new UsageError(`"${view}" is not a view name`);
  if (service === undefined && command.url === undefined) {
    throw new UsageError(`replay ${view}: which service? --service <name>, --url <base-url>, or <service>.${view}`);
  }
  const entry = service === undefined ? undefined : serviceWithViews(service, manifest);
  const baseUrl = (command.url ?? `http://${context.host}:${entry?.port ?? 0}`).replace(/\/+$/, '');
  return { view, baseUrl, ...(entry ? { service: entry.name } : {}) };
}
