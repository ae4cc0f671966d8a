import type { z } from 'zod';
import type { TopicDefinition } from './topic-catalogue';

/** Why a record could not be decoded; goes into the dead-letter headers. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid-json' | 'schema-mismatch' | 'missing-key',
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export type Decoded<TValue> =
  { readonly kind: 'value'; readonly key: string; readonly value: TValue } | { readonly kind: 'tombstone'; readonly key: string };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Parses and validates one record of `topic`. A null value on a changelog topic is a tombstone; on an
 * event topic it is an error. Throws DecodeError with every schema issue listed.
 */
export function decodeRecord<TValue>(
  topic: TopicDefinition<TValue>,
  key: Buffer | string | null | undefined,
  value: Buffer | string | null | undefined,
): Decoded<TValue> {
  if (key === null || key === undefined || key.length === 0) {
    throw new DecodeError(`record on ${topic.name} has no key (expected ${topic.key})`, 'missing-key');
  }
  const keyText = typeof key === 'string' ? key : key.toString('utf8');
  if (value === null || value === undefined) {
    if (topic.kind === 'changelog') return { kind: 'tombstone', key: keyText };
    throw new DecodeError(`record on ${topic.name} has no value (only changelog topics carry tombstones)`, 'schema-mismatch');
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    throw new DecodeError(`record on ${topic.name} is not JSON: ${(error as Error).message}`, 'invalid-json');
  }
  const parsed = topic.value.safeParse(json);
  if (!parsed.success) {
    throw new DecodeError(`record on ${topic.name} does not match its schema: ${describeIssues(parsed.error)}`, 'schema-mismatch');
  }
  return { kind: 'value', key: keyText, value: parsed.data };
}

/** Validates and serializes one value for `topic`; producers refuse what consumers would reject. */
export function encodeValue<TValue>(topic: TopicDefinition<TValue>, value: TValue): Buffer {
  const parsed = topic.value.safeParse(value);
  if (!parsed.success) {
    throw new DecodeError(`refusing to produce to ${topic.name}: ${describeIssues(parsed.error)}`, 'schema-mismatch');
  }
  return Buffer.from(JSON.stringify(parsed.data), 'utf8');
}
