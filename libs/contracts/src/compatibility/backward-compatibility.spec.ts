import { z } from 'zod';
import { jsonSchemaOf } from '../json-schema/json-schema';
import { backwardIncompatibilities, versionIncompatibilities, type Json } from './backward-compatibility';

/** The JSON Schema of a zod schema as the committed files hold it (plain JSON). */
const js = (schema: z.ZodType): Json => JSON.parse(JSON.stringify(jsonSchemaOf(schema))) as Json;
const problems = (before: z.ZodType, after: z.ZodType) => backwardIncompatibilities(js(before), js(after));

const base = z.object({ id: z.string().min(1).max(64), channel: z.enum(['web', 'mobile']).optional(), total: z.number().int() });

describe('backwardIncompatibilities (a reader with the new schema reads records of the old one)', () => {
  it('accepts the same schema, and changed annotations', () => {
    expect(problems(base, base)).toEqual([]);
    expect(problems(base, base.describe('now documented'))).toEqual([]);
  });

  it('accepts a new optional field on a closed object (the old writer never wrote it)', () => {
    expect(problems(base, base.extend({ note: z.string().optional() }))).toEqual([]);
  });

  it('accepts widening: an added enum value, looser bounds, nullable, integer → number, a field made optional', () => {
    expect(problems(base, base.extend({ channel: z.enum(['web', 'mobile', 'api']).optional() }))).toEqual([]);
    expect(problems(base, base.extend({ id: z.string().max(200) }))).toEqual([]);
    expect(problems(base, base.extend({ id: z.string().min(1).max(64).nullable() }))).toEqual([]);
    expect(problems(base, base.extend({ total: z.number() }))).toEqual([]);
    expect(problems(base, base.extend({ total: z.number().int().optional() }))).toEqual([]);
  });

  it('accepts a new required field that has a default', () => {
    const before: Json = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    const after: Json = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string', default: 'web' } },
      required: ['a', 'b'],
      additionalProperties: false,
    };
    expect(backwardIncompatibilities(before, after)).toEqual([]);
  });

  it('refuses a new required field without a default', () => {
    expect(problems(base, base.extend({ region: z.string() }))).toEqual([
      '$.region: a new required field without a default (old records lack it)',
    ]);
  });

  it('refuses an optional field made required', () => {
    expect(problems(base, base.extend({ channel: z.enum(['web', 'mobile']) }))).toEqual([
      '$.channel: an optional field became required (old records may lack it)',
    ]);
  });

  it('refuses a removed enum value, and a field that becomes an enum or a const', () => {
    expect(problems(base, base.extend({ channel: z.enum(['web']).optional() }))).toEqual([
      '$.channel: value "mobile" was removed (old records may hold it)',
    ]);
    expect(problems(base, base.extend({ id: z.enum(['a', 'b']) }))).toEqual([
      '$.id: the new schema restricts the value to ["a","b"], the old one did not',
    ]);
    expect(problems(z.object({ v: z.literal(1) }), z.object({ v: z.literal(2) }))).toEqual([
      '$.v: value 1 was removed (old records may hold it)',
    ]);
  });

  it('refuses tightened bounds and a changed pattern or format', () => {
    expect(problems(base, base.extend({ id: z.string().min(2).max(64) }))).toEqual(['$.id: minLength tightened from 1 to 2']);
    expect(problems(base, base.extend({ id: z.string().min(1).max(10) }))).toEqual(['$.id: maxLength tightened from 64 to 10']);
    expect(problems(base, base.extend({ total: z.number().int().nonnegative() }))).toEqual([
      '$.total: minimum tightened from -9007199254740991 to 0',
    ]);
    expect(
      problems(
        base,
        base.extend({
          id: z
            .string()
            .min(1)
            .max(64)
            .regex(/^[a-z]+$/),
        }),
      ),
    ).toEqual(['$.id: pattern changed from null to "^[a-z]+$"']);
    expect(problems(z.object({ at: z.string() }), z.object({ at: z.iso.datetime() }))).toEqual([
      expect.stringMatching(/^\$\.at: pattern changed from null to "\^/),
      '$.at: format changed from null to "date-time"',
    ]);
  });

  it('refuses a changed type, and a field that is no longer nullable', () => {
    expect(problems(base, base.extend({ total: z.string() }))).toEqual(['$.total: type integer is no longer accepted (now string)']);
    const nullable = z.object({ address: z.object({ line1: z.string() }).nullable() });
    expect(problems(nullable, z.object({ address: z.object({ line1: z.string() }) }))).toEqual([
      '$.address|1: type null is no longer accepted (now object)',
    ]);
  });

  it('refuses a field removed from a closed object, and a nested incompatibility, with its path', () => {
    expect(problems(base, base.omit({ total: true }))).toEqual([
      '$.total: the field was removed from a closed object (old records hold it)',
    ]);
    const nested = z.object({ lines: z.array(z.object({ qty: z.number().int().max(100) })) });
    expect(problems(nested, z.object({ lines: z.array(z.object({ qty: z.number().int().max(10) })) }))).toEqual([
      '$.lines[].qty: maximum tightened from 100 to 10',
    ]);
  });

  it('refuses a field added to an open object (old records may carry that name with any value), and closing it', () => {
    const open = z.looseObject({ id: z.string() });
    expect(problems(open, open.extend({ channel: z.string().optional() }))).toEqual([
      '$.channel: the new schema requires type string, the old one allowed any (field added to an object the old schema left open)',
    ]);
    expect(problems(open, z.object({ id: z.string() }))).toEqual([
      '$: the object was closed (additionalProperties: false); old records may hold other fields',
    ]);
  });

  it('reads unions branch by branch, and refuses what no new branch reads', () => {
    const a = z.object({ kind: z.literal('a') });
    const b = z.object({ kind: z.literal('b') });
    expect(problems(z.union([a, b]), z.union([b, a, z.object({ kind: z.literal('c') })]))).toEqual([]);
    expect(problems(z.union([a, b]), a)).toEqual(['$|1.kind: value "b" was removed (old records may hold it)']);
  });

  it('refuses keywords it cannot reason about when they change', () => {
    expect(backwardIncompatibilities({ type: 'object' }, { type: 'object', not: { required: ['x'] } })).toEqual([
      '$: keyword not changed (this check cannot tell whether old records still pass)',
    ]);
  });
});

describe('versionIncompatibilities (version n+1 of an event type against version n)', () => {
  const envelope = (version: number, payload: z.ZodType) =>
    z.object({ id: z.string(), type: z.literal('OrderPlaced'), version: z.literal(version), payload });
  const v1 = envelope(1, z.object({ orderId: z.string() }));

  it('ignores the version number, which differs by definition', () => {
    expect(versionIncompatibilities(js(v1), js(envelope(2, z.object({ orderId: z.string(), channel: z.string().optional() }))))).toEqual(
      [],
    );
  });

  it('refuses what a reader of older records could not read', () => {
    expect(versionIncompatibilities(js(v1), js(envelope(2, z.object({ orderId: z.string(), channel: z.string() }))))).toEqual([
      '$.payload.channel: a new required field without a default (old records lack it)',
    ]);
    expect(versionIncompatibilities(js(v1), js(envelope(2, z.object({ id: z.string() }))))).toEqual([
      '$.payload.id: a new required field without a default (old records lack it)',
      '$.payload.orderId: the field was removed from a closed object (old records hold it)',
    ]);
  });
});
