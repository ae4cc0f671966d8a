/**
 * BACKWARD compatibility of two JSON Schemas, the Schema Registry's default rule: a reader that uses the NEW
 * schema can read every record written with the OLD one. Pure: plain JSON in, the list of problems out (empty =
 * compatible), each with the JSON path where it was found.
 *
 * Checked, for the subset of JSON Schema that z.toJSONSchema emits (type, const/enum, string/number/array bounds,
 * format, pattern, objects with properties/required/additionalProperties, anyOf/oneOf, items):
 *   - a type the writer allowed is still allowed (integer is a number; a nullable field stays nullable);
 *   - no const/enum value the writer could write is removed, and no field becomes an enum or a const;
 *   - bounds do not tighten (minLength, maxLength, minimum, maximum, minItems, maxItems, …), and pattern, format
 *     and multipleOf do not appear or change;
 *   - no new required field without a `default`, and no optional field becomes required;
 *   - a field the writer wrote is not removed from a closed object (additionalProperties: false);
 *   - a field is not added to an object the writer left open (it may already carry that name with any value:
 *     Confluent's PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL); an open object is not closed;
 *   - every branch of a writer's anyOf/oneOf is read by some branch of the reader;
 *   - any other keyword must stay as it was: what this function cannot reason about it refuses.
 * Annotations (description, title, examples, …) are free to change.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { readonly [key: string]: Json };

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
const HANDLED = new Set([
  'type',
  'const',
  'enum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'anyOf',
  'oneOf',
]);

function isSchema(value: Json | undefined): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `true`, `{}` and a schema of annotations only accept every value. */
function acceptsAnything(schema: Json | undefined): boolean {
  if (schema === undefined || schema === true) return true;
  return isSchema(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k));
}

function asSchema(schema: Json | undefined): Schema {
  if (schema === false) return { not: {} };
  return isSchema(schema) ? schema : {};
}

function canonical(value: Json | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isSchema(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

function typesOf(schema: Schema): Set<string> | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type.filter((t): t is string => typeof t === 'string'));
  return undefined;
}

function valuesOf(schema: Schema): Json[] | undefined {
  if ('const' in schema) return [schema['const'] as Json];
  const values = schema['enum'];
  return Array.isArray(values) ? values : undefined;
}

function numberOf(schema: Schema, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

function stringsOf(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The problems a reader using `reader` has with records written under `writer`; [] when there are none. */
export function backwardIncompatibilities(writer: Json, reader: Json, path = '$'): string[] {
  if (acceptsAnything(reader)) return [];
  const w = asSchema(writer);
  const r = asSchema(reader);
  const problems: string[] = [];

  // Unions first: each writer branch on its own, then the reader's branches as alternatives.
  const writerBranches = w['anyOf'] ?? w['oneOf'];
  if (Array.isArray(writerBranches)) {
    const { anyOf: _a, oneOf: _o, ...rest } = w;
    return writerBranches.flatMap((branch, i) => backwardIncompatibilities({ ...rest, ...asSchema(branch) }, reader, `${path}|${i}`));
  }
  const readerBranches = r['anyOf'] ?? r['oneOf'];
  if (Array.isArray(readerBranches)) {
    const { anyOf: _a, oneOf: _o, ...rest } = r;
    const attempts = readerBranches.map((branch) => backwardIncompatibilities(writer, { ...rest, ...asSchema(branch) }, path));
    if (attempts.some((a) => a.length === 0)) return [];
    return [`${path}: no branch of the new anyOf/oneOf reads what the old schema allowed (${attempts.map((a) => a[0]).join(' | ')})`];
  }

  const writerTypes = typesOf(w);
  const readerTypes = typesOf(r);
  if (readerTypes) {
    if (!writerTypes) problems.push(`${path}: the new schema requires type ${[...readerTypes].join('|')}, the old one allowed any`);
    else {
      const lost = [...writerTypes].filter((type) => !readerTypes.has(type) && !(type === 'integer' && readerTypes.has('number')));
      problems.push(...lost.map((type) => `${path}: type ${type} is no longer accepted (now ${[...readerTypes].join('|')})`));
      // Nothing the writer wrote passes: the keywords of the other types say nothing more.
      if (lost.length === writerTypes.size) return problems;
    }
  }

  const readerValues = valuesOf(r);
  if (readerValues) {
    const writerValues = valuesOf(w);
    if (!writerValues) problems.push(`${path}: the new schema restricts the value to ${canonical(readerValues)}, the old one did not`);
    else {
      const allowed = new Set(readerValues.map(canonical));
      for (const value of writerValues)
        if (!allowed.has(canonical(value))) problems.push(`${path}: value ${canonical(value)} was removed (old records may hold it)`);
    }
  }

  const lowerBound = (key: string) => {
    const now = numberOf(r, key);
    const before = numberOf(w, key);
    if (now !== undefined && (before === undefined || now > before))
      problems.push(`${path}: ${key} tightened from ${before ?? 'none'} to ${now}`);
  };
  const upperBound = (key: string) => {
    const now = numberOf(r, key);
    const before = numberOf(w, key);
    if (now !== undefined && (before === undefined || now < before))
      problems.push(`${path}: ${key} tightened from ${before ?? 'none'} to ${now}`);
  };
  ['minLength', 'minItems', 'minimum', 'exclusiveMinimum'].forEach(lowerBound);
  ['maxLength', 'maxItems', 'maximum', 'exclusiveMaximum'].forEach(upperBound);
  for (const key of ['pattern', 'format', 'multipleOf'])
    if (key in r && canonical(r[key]) !== canonical(w[key]))
      problems.push(`${path}: ${key} changed from ${canonical(w[key])} to ${canonical(r[key])}`);

  if ('items' in r) problems.push(...backwardIncompatibilities(w['items'] ?? true, r['items'] as Json, `${path}[]`));
  if ('propertyNames' in r)
    problems.push(...backwardIncompatibilities(w['propertyNames'] ?? true, r['propertyNames'] as Json, `${path}{keys}`));
  problems.push(...objectIncompatibilities(w, r, path));

  for (const key of Object.keys(r))
    if (!HANDLED.has(key) && !ANNOTATIONS.has(key) && canonical(r[key]) !== canonical(w[key]))
      problems.push(`${path}: keyword ${key} changed (this check cannot tell whether old records still pass)`);
  return problems;
}

function objectIncompatibilities(w: Schema, r: Schema, path: string): string[] {
  const problems: string[] = [];
  const writerProps = isSchema(w['properties']) ? w['properties'] : {};
  const readerProps = isSchema(r['properties']) ? r['properties'] : {};
  const writerRequired = new Set(stringsOf(w['required']));
  const writerClosed = w['additionalProperties'] === false;
  const readerExtra = r['additionalProperties'];

  for (const name of stringsOf(r['required'])) {
    if (writerRequired.has(name)) continue;
    const property = readerProps[name];
    if (isSchema(property) && 'default' in property) continue;
    problems.push(
      name in writerProps
        ? `${path}.${name}: an optional field became required (old records may lack it)`
        : `${path}.${name}: a new required field without a default (old records lack it)`,
    );
  }
  for (const [name, readerProp] of Object.entries(readerProps)) {
    if (name in writerProps) problems.push(...backwardIncompatibilities(writerProps[name] as Json, readerProp, `${path}.${name}`));
    else if (!writerClosed)
      problems.push(
        ...backwardIncompatibilities(w['additionalProperties'] ?? true, readerProp, `${path}.${name}`).map(
          (p) => `${p} (field added to an object the old schema left open)`,
        ),
      );
  }
  if (readerExtra !== undefined && readerExtra !== true) {
    for (const name of Object.keys(writerProps))
      if (!(name in readerProps)) {
        if (readerExtra === false) problems.push(`${path}.${name}: the field was removed from a closed object (old records hold it)`);
        else problems.push(...backwardIncompatibilities(writerProps[name] as Json, readerExtra, `${path}.${name}`));
      }
    if (!writerClosed) {
      if (readerExtra === false)
        problems.push(`${path}: the object was closed (additionalProperties: false); old records may hold other fields`);
      else problems.push(...backwardIncompatibilities(w['additionalProperties'] ?? true, readerExtra, `${path}{*}`));
    }
  }
  return problems;
}

/**
 * Two versions of one event type: every field but `version` (which differs by definition, and which upcasting
 * rewrites) must be readable. Used between consecutive versions; the same version against its committed file
 * goes through backwardIncompatibilities itself.
 */
export function versionIncompatibilities(previous: Json, next: Json): string[] {
  return backwardIncompatibilities(withoutVersion(previous), withoutVersion(next));
}

function withoutVersion(schema: Json): Json {
  if (!isSchema(schema) || !isSchema(schema['properties'])) return schema;
  const { version: _version, ...properties } = schema['properties'];
  return { ...schema, properties, required: stringsOf(schema['required']).filter((name) => name !== 'version') };
}
