import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

/** The parts of an OpenAPI 3.1 document that say what a route answers. */
export interface ApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, { readonly responses?: Readonly<Record<string, ApiResponse>> }>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, unknown>> };
}

interface ApiResponse {
  readonly content?: Readonly<Record<string, { readonly schema?: { readonly $ref?: string } }>>;
}

/**
 * Checks real answers against a service's OpenAPI document: `check('GET', '/shipments/{orderId}', 404, body)`
 * lists what is wrong (empty when the status is documented for the route and the body matches its JSON schema).
 * Formats (date-time, email) are not checked; patterns, types and required fields are.
 */
export function apiAnswerCheck(document: ApiDocument): (method: string, path: string, status: number, body: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const compiled = new Map<string, ValidateFunction>();
  return (method, path, status, body) => {
    const where = `${method} ${path} ${status}`;
    const response = document.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)];
    if (!response) return [`${where}: not in the document`];
    const ref = response.content?.['application/json']?.schema?.$ref;
    const name = ref?.replace('#/components/schemas/', '');
    const schema = name === undefined ? undefined : document.components?.schemas?.[name];
    if (!name || !schema) return [`${where}: no JSON schema documented`];
    let validate = compiled.get(name);
    if (!validate) {
      validate = ajv.compile(schema as object);
      compiled.set(name, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where} (${name}): ${e.instancePath || '(body)'} ${e.message ?? ''}`.trim());
  };
}
