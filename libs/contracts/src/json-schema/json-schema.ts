import { z } from 'zod';

/** A JSON Schema (draft 2020-12) object as z.toJSONSchema returns it. */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * The JSON Schema of a zod schema, as every generated document shows it (docs/asyncapi.json and
 * docs/openapi/*.json): draft 2020-12, which AsyncAPI 3 and OpenAPI 3.1 both take as it is; what JSON Schema
 * cannot say (a transform, a refinement) is left open instead of failing. `io: 'input'` describes what the
 * schema accepts (a request body), `'output'` what it produces (an event, a response body).
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io });
}
