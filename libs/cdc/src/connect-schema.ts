import { jsonSchemaOf, type JsonSchema, type TopicDefinition } from '@shop/contracts';

/**
 * A Kafka Connect schema in the JSON form JsonConverter reads (`schema.content`, KIP-1054, Kafka 4.2+): with it,
 * the converter turns our plain JSON values (no embedded schema) into Structs, which the JDBC sink needs.
 */
export type ConnectSchema =
  | { readonly type: 'string' | 'boolean' | 'int32' | 'int64' | 'float64'; readonly optional: boolean }
  | { readonly type: 'array'; readonly items: ConnectSchema; readonly optional: boolean }
  | { readonly type: 'struct'; readonly fields: readonly ConnectField[]; readonly optional: boolean; readonly name?: string };

export type ConnectField = ConnectSchema & { readonly field: string };

type Mutable = { -readonly [K in keyof ConnectSchema]: ConnectSchema[K] };

function isNullSchema(s: JsonSchema): boolean {
  return s.type === 'null';
}

/** One JSON Schema (as the contracts generate it) as a Connect schema; `optional` is the caller's to decide. */
function fromJsonSchema(schema: JsonSchema, where: string): ConnectSchema {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const nonNull = alternatives.filter((s) => !isNullSchema(s as JsonSchema)) as JsonSchema[];
    if (nonNull.length !== 1 || !nonNull[0]) throw new Error(`${where}: only "X or null" unions map to a Connect schema`);
    return { ...fromJsonSchema(nonNull[0], where), optional: true };
  }
  switch (schema.type) {
    case 'string':
    case 'boolean':
      return { type: schema.type, optional: false };
    // Money and counts are integer cents / quantities of at most 1e11: int64.
    case 'integer':
      return { type: 'int64', optional: false };
    // `version` is a number literal (z.literal(2)): an integer constant is an int32; any other number a float64.
    case 'number':
      return { type: Number.isInteger(schema.const) ? 'int32' : 'float64', optional: false };
    case 'array': {
      if (!schema.items || Array.isArray(schema.items) || typeof schema.items !== 'object')
        throw new Error(`${where}: array without one items schema`);
      return { type: 'array', items: fromJsonSchema(schema.items as JsonSchema, `${where}[]`), optional: false };
    }
    case 'object': {
      const required = new Set(schema.required ?? []);
      const fields = Object.entries(schema.properties ?? {}).map(([field, property]): ConnectField => {
        const converted = fromJsonSchema(property as JsonSchema, `${where}.${field}`);
        return { ...converted, field, optional: converted.optional || !required.has(field) };
      });
      return { type: 'struct', fields, optional: false };
    }
    default:
      throw new Error(`${where}: JSON Schema type ${JSON.stringify(schema.type)} has no Connect schema here`);
  }
}

/**
 * The union of several Connect schemas: a struct has every field of any of them, and a field is required only where
 * every schema has it required. A field whose types disagree is refused (the converter could read only one).
 */
function merge(a: ConnectSchema, b: ConnectSchema, where: string): ConnectSchema {
  if (a.type !== b.type) throw new Error(`${where}: ${a.type} in one version, ${b.type} in another`);
  const optional = a.optional || b.optional;
  if (a.type === 'array' && b.type === 'array') return { type: 'array', items: merge(a.items, b.items, `${where}[]`), optional };
  if (a.type === 'struct' && b.type === 'struct') {
    const names = [...new Set([...a.fields.map((f) => f.field), ...b.fields.map((f) => f.field)])];
    const fields = names.map((field): ConnectField => {
      const fa = a.fields.find((f) => f.field === field);
      const fb = b.fields.find((f) => f.field === field);
      if (fa && fb) return { ...merge(fa, fb, `${where}.${field}`), field };
      const only = (fa ?? fb) as ConnectField;
      return { ...only, optional: true } as ConnectField;
    });
    return { type: 'struct', fields, optional };
  }
  return { ...(a as Mutable), optional } as ConnectSchema;
}

/**
 * The Connect schema of every value `topic` may hold: the union of the JSON Schemas of all its (type, version)s
 * in the contracts (`topic.versions`), named after the topic. Fields that not every version has are optional, so
 * the converter reads every record of the topic (OrderRejected as well as OrderValidated v1 and v2); what is not
 * JSON, or has a field of the wrong type, fails conversion and goes to the dead-letter topic.
 */
export function connectSchemaOfTopic(topic: TopicDefinition): ConnectSchema {
  const [first, ...rest] = topic.versions.map((v) => fromJsonSchema(jsonSchemaOf(v.schema), `${topic.name} ${v.type} v${v.version}`));
  if (!first) throw new Error(`${topic.name}: no versions in the catalogue`);
  const merged = rest.reduce((acc, s) => merge(acc, s, topic.name), first);
  return { ...(merged as Mutable), name: `shop.${topic.name.replace(/[^A-Za-z0-9_.]/g, '_')}` } as ConnectSchema;
}
