import type { INestApplication } from '@nestjs/common';
import { apiErrorSchema, statusText, unstorableText } from '@shop/nest-platform';
import fc from 'fast-check';
import { z } from 'zod';

/**
 * Request bodies for property-based fuzz tests of a JSON endpoint (fast-check): valid bodies and valid bodies
 * mutated (fields dropped, wrong types, huge strings, odd unicode, deep nesting, numbers out of range, unknown
 * fields, duplicate keys, truncated JSON, other media types, oversized bodies). Each body says what the
 * platform must answer before the service looks at it (413, 415, 400 for JSON that does not parse or holds
 * text PostgreSQL cannot store), or
 * 'validate': then the service's own validation of `JSON.parse(payload)` decides (the test's oracle).
 */
export interface FuzzBody {
  /** What was done to the valid body, e.g. `wrong-type lines.0.quantity`. */
  readonly mutation: string;
  /** The Content-Type header (none when undefined). */
  readonly contentType: string | undefined;
  readonly payload: string;
  readonly expect: 400 | 413 | 415 | 'validate';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

export interface BodyFuzzOptions {
  /** The service's body limit (413 above it). */
  readonly bodyLimitBytes: number;
}

/** Media types the platform reads as JSON. */
const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'Application/JSON',
  'application/merge-patch+json',
  'application/vnd.shop.order+json; charset=utf-8',
];
/** Well-formed media types that are not JSON: a non-empty body of one is a 415. */
const OTHER_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'text/json',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/jsonx',
  'application/json-seq',
  'application/problem+xml',
  'image/png',
];
/** Content-Type values that are not media types at all (415 too), and no header. */
const BROKEN_TYPES = ['json', 'application', 'application/', '/json', ';charset=utf-8', 'application json'];

/** Strings that have broken services: NUL, lone surrogates, bidi overrides, emoji sequences, injections. */
const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufeff',
  '\uffff',
  '\u202eevil',
  '👩‍👩‍👧‍👦',
  'e\u0301',
  'Ω≈ç√∫',
  '\r\n',
  "'; DROP TABLE users; --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  'null',
  '1e400',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Any string: full unicode, control characters, lone surrogates, and the specials. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }), loneSurrogate), maxLength: 20 }),
  fc.constantFrom(...SPECIAL_STRINGS),
);

/** A value of any JSON type (to put where another type belongs). */
const anyType: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { minKeys: 1, maxKeys: 3 }),
);

/** Numbers JSON.stringify writes, at and past every range a schema might have. */
const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1.5,
    -(2 ** 31),
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    1e21,
    1e308,
    -1e308,
    5e-324,
    10_000,
    10_001,
    1e11,
    1e11 + 1,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
);

/** Number literals that JSON.stringify cannot write (Infinity, -0, 400 digits): put into the text raw. */
const rawNumber = fc.constantFrom('1e400', '-1e400', `1${'0'.repeat(400)}`, `0.${'0'.repeat(400)}1`, '-0', '1E2', '1.0', '0e0');

/** Nesting 50 to 30,000 levels deep (the deepest are over the body limit): arrays or objects, raw text. */
const deepValue = fc
  .tuple(fc.integer({ min: 50, max: 30_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`));

/** Strings from 1,000 to 60,000 characters of one character (one to four UTF-8 bytes, or escaped). */
const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.constantFrom('x', 'é', '€', '😀', '\u0000', ' ', '"', '\ud800'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Keys an object might mishandle. */
const oddKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'id\u0000', '$where'),
  fc.string({ maxLength: 10 }),
);

/** Every path into a JSON value (the root excluded), objects and arrays included. */
export function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  }
  return [];
}

/** `key` as an own property, even "__proto__" (an assignment would set the prototype instead). */
function put(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `value` with the node at `path` replaced (or removed, for `undefined`). */
export function withAt(value: Json, path: Path, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const index = head as number;
    if (rest.length === 0 && replacement === undefined) copy.splice(index, 1);
    else copy[index] = withAt(copy[index] as Json, rest, replacement);
    return copy;
  }
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value as Record<string, Json>)) {
    if (key !== head) put(copy, key, item);
    else if (rest.length > 0 || replacement !== undefined)
      put(copy, key, rest.length === 0 ? (replacement as Json) : withAt(item, rest, replacement));
  }
  return copy;
}

const pathName = (path: Path): string => (path.length === 0 ? '(body)' : path.map(String).join('.'));

/** Marks a value to be written raw into the JSON text (a literal JSON.stringify cannot produce). */
const RAW = '\u0001raw:';
const rawMarker = (text: string): string => `${RAW}${text}\u0001`;
const withRawValues = (json: string): string =>
  json.replace(/"\\u0001raw:((?:[^"\\]|\\.)*)\\u0001"/g, (_match, escaped: string) => JSON.parse(`"${escaped}"`) as string);

/** What the platform answers before the service's own validation, given the bytes and the media type. */
export function platformAnswer(
  contentType: string | undefined,
  payload: string,
  options: BodyFuzzOptions,
  typeKind: 'json' | 'other' | 'broken',
): FuzzBody['expect'] {
  if (typeKind === 'broken' && contentType !== undefined) return 415;
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > options.bodyLimitBytes) return 413;
  if (typeKind !== 'json' && bytes > 0) return 415;
  if (bytes === 0) return 'validate';
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return 400;
  }
  // A string PostgreSQL cannot store (U+0000, a lone surrogate) is refused by the platform's parser.
  return unstorableText(value) === undefined ? 'validate' : 400;
}

interface Draft {
  readonly mutation: string;
  readonly text: string;
}

/**
 * Bodies built from `valid`, a generator of valid JSON bodies of the endpoint: about one in eight unchanged,
 * the others mutated. Send them as they are; judge each by `expect` and, for 'validate', by the service's own
 * validation of the parsed payload.
 */
export function fuzzedBodies(valid: fc.Arbitrary<Json>, options: BodyFuzzOptions): fc.Arbitrary<FuzzBody> {
  const at = <T>(replacement: fc.Arbitrary<T>) =>
    fc.tuple(valid, fc.nat(), replacement).map(([body, pick, value]) => {
      const paths = pathsOf(body);
      const path = paths[pick % Math.max(1, paths.length)] ?? [];
      return { body, path, value };
    });
  const drafts: fc.Arbitrary<Draft> = fc.oneof(
    { weight: 4, arbitrary: valid.map((body) => ({ mutation: 'valid', text: JSON.stringify(body) })) },
    {
      weight: 3,
      arbitrary: at(fc.constant(undefined)).map(({ body, path }) => ({
        mutation: `drop ${pathName(path)}`,
        text: JSON.stringify(withAt(body, path, undefined)),
      })),
    },
    {
      weight: 4,
      arbitrary: at(anyType).map(({ body, path, value }) => ({
        mutation: `wrong-type ${pathName(path)}`,
        text: JSON.stringify(withAt(body, path, value)),
      })),
    },
    {
      weight: 3,
      arbitrary: at(oddString).map(({ body, path, value }) => ({
        mutation: `unicode ${pathName(path)}`,
        text: JSON.stringify(withAt(body, path, value)),
      })),
    },
    {
      weight: 2,
      arbitrary: at(hugeString).map(({ body, path, value }) => ({
        mutation: `huge-string ${pathName(path)} (${value.length})`,
        text: JSON.stringify(withAt(body, path, value)),
      })),
    },
    {
      weight: 3,
      arbitrary: at(
        fc.oneof(
          oddNumber.map((n) => ({ n })),
          rawNumber.map((raw) => ({ raw })),
        ),
      ).map(({ body, path, value }) => ({
        mutation: `number ${pathName(path)} = ${'raw' in value ? value.raw : String(value.n)}`,
        text: withRawValues(JSON.stringify(withAt(body, path, 'raw' in value ? rawMarker(value.raw) : value.n))),
      })),
    },
    {
      weight: 2,
      arbitrary: at(deepValue).map(({ body, path, value }) => ({
        mutation: `deep ${pathName(path)} (${value.length} bytes)`,
        text: withRawValues(JSON.stringify(withAt(body, path, rawMarker(value)))),
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, oddKey, anyType).map(([body, key, value]) => {
        const copy: Record<string, Json> = {};
        for (const [k, v] of Object.entries(body as Record<string, Json>)) put(copy, k, v);
        put(copy, key, value);
        return { mutation: `extra-field ${JSON.stringify(key)}`, text: JSON.stringify(copy) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat(), anyType).map(([body, pick, value]) => {
        const keys = Object.keys(body as object);
        const key = keys[pick % Math.max(1, keys.length)] ?? 'x';
        // JSON.parse keeps the last of duplicate keys: the bad first one must not count.
        return {
          mutation: `duplicate-key ${key}`,
          text: `{${JSON.stringify(key)}:${JSON.stringify(value)},${JSON.stringify(body).slice(1)}`,
        };
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.nat()).map(([body, cut]) => {
        const text = JSON.stringify(body);
        const at_ = 1 + (cut % Math.max(1, text.length - 1));
        return { mutation: `truncated at ${at_} of ${text.length}`, text: text.slice(0, at_) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constant(''),
          fc.constantFrom('null', 'true', '0', '"x"', '[]', '{}', '[{}]', ' ', '\ufeff{}', 'nul', '{"a":1}}', "{'a':1}", '{a:1}', '[1,]'),
          valid.map((body) => `\ufeff${JSON.stringify(body)}`),
          valid.map((body) => ` \n\t${JSON.stringify(body, null, 2)}\n `),
          valid.map((body) => JSON.stringify([body])),
          fc.string({ unit: 'binary', maxLength: 60 }),
        )
        .map((text) => ({ mutation: `odd-text ${JSON.stringify(text.slice(0, 30))}`, text })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.integer({ min: 1, max: 40_000 })).map(([body, extra]) => {
        const padded: Record<string, Json> = {};
        for (const [k, v] of Object.entries(body as Record<string, Json>)) put(padded, k, v);
        put(padded, 'padding', 'p'.repeat(options.bodyLimitBytes + extra));
        return { mutation: `oversized (+${extra})`, text: JSON.stringify(padded) };
      }),
    },
  );
  const mediaType = fc.oneof(
    { weight: 14, arbitrary: fc.constantFrom(...JSON_TYPES).map((type) => ({ type: type as string | undefined, kind: 'json' as const })) },
    { weight: 2, arbitrary: fc.constantFrom(...OTHER_TYPES).map((type) => ({ type: type as string | undefined, kind: 'other' as const })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | undefined>(undefined, ...BROKEN_TYPES).map((type) => ({
        type,
        kind: type === undefined ? ('other' as const) : ('broken' as const),
      })),
    },
  );
  return fc.tuple(drafts, mediaType).map(([draft, { type, kind }]) => ({
    mutation: kind === 'json' ? draft.mutation : `${draft.mutation}, Content-Type ${type ?? '(none)'}`,
    contentType: type,
    payload: draft.text,
    expect: platformAnswer(type, draft.text, options, kind),
  }));
}

/**
 * What is wrong with a 4xx answer (empty when it is the one error body of every service): exactly
 * `{ statusCode, error, message, reasons }` plus the `extra` fields a route documents, its statusCode the
 * status, its error the status text.
 */
export function errorBodyProblems(status: number, body: unknown, extra: z.ZodRawShape = {}): string[] {
  const parsed = apiErrorSchema.extend(extra).strict().safeParse(body);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  const problems: string[] = [];
  if (parsed.data.statusCode !== status) problems.push(`statusCode ${parsed.data.statusCode} on a ${status}`);
  if (parsed.data.error !== statusText(status)) problems.push(`error "${parsed.data.error}" on a ${status}`);
  return problems;
}

export interface InjectedAnswer {
  readonly status: number;
  /** The parsed JSON body (undefined when empty or not JSON). */
  readonly body: unknown;
  readonly text: string;
}

/** Requests through fastify's inject (no socket): the app's whole HTTP stack, routing, parsers, hooks, filters. */
export function injector(
  app: INestApplication,
): (request: { method: string; url: string; headers?: Record<string, string>; payload?: string }) => Promise<InjectedAnswer> {
  const fastify = app.getHttpAdapter().getInstance() as {
    inject(request: { method: string; url: string; headers?: Record<string, string>; payload?: string }): Promise<{
      statusCode: number;
      body: string;
    }>;
  };
  return async (request) => {
    const answer = await fastify.inject(request);
    let body: unknown;
    try {
      body = answer.body.length > 0 ? (JSON.parse(answer.body) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    return { status: answer.statusCode, body, text: answer.body };
  };
}

/** `work` on every item, at most `concurrency` at a time; the results in the items' order. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** A short, printable description of a body for a failure message. */
export function describeBody(body: FuzzBody): string {
  const payload = body.payload.length > 160 ? `${body.payload.slice(0, 160)}… (${body.payload.length} chars)` : body.payload;
  return `[${body.mutation}] Content-Type ${body.contentType ?? '(none)'}: ${JSON.stringify(payload)}`;
}

/**
 * The seed of a fuzz test: FUZZ_SEED from the environment (to replay a failure) or the test's fixed one. Runs
 * are deterministic for a seed: the same bodies in the same order.
 */
export function fuzzSeed(fixed: number): number {
  const given = process.env['FUZZ_SEED'];
  return given === undefined || given === '' ? fixed : Number(given);
}
