import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiParam,
  ApiQuery,
  ApiResponse,
  type MediaTypeObject,
  type ReferenceObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { jsonSchemaOf, type JsonSchema } from '@shop/contracts';
import type { z } from 'zod';

/**
 * OpenAPI from the zod schemas the code validates and answers with, so that the documents (GET /docs,
 * docs/openapi/<service>.json) cannot drift from the code: no DTO classes beside the schemas. A named body
 * (ApiModel) becomes a component of the document, its JSON Schema from jsonSchemaOf (as docs/asyncapi.json);
 * the decorators below put a $ref to it on the route and record the component on the controller class, where
 * buildApiDocument collects it.
 */

/** A body shape with the name it has under components.schemas. */
export interface ApiModel<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
}

export const apiModel = <S extends z.ZodType>(name: string, schema: S): ApiModel<S> => ({ name, schema });

/** How the schemas of one controller class are kept until buildApiDocument collects them. */
export const API_COMPONENTS = 'shop:openapi:components';

export type ApiComponents = Readonly<Record<string, JsonSchema>>;

/**
 * @nestjs/swagger 11 types its Schema Object after OpenAPI 3.0; the documents are OpenAPI 3.1, whose Schema
 * Object is JSON Schema 2020-12, exactly what jsonSchemaOf gives.
 */
const asSchemaObject = (schema: JsonSchema): SchemaObject => schema as SchemaObject;

/** The JSON Schema of `schema` as a document holds it: without the `$schema` line jsonSchemaOf starts with. */
export function documentSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = jsonSchemaOf(schema, io);
  return rest;
}

/** A schema to inline (a parameter). */
const inlineSchema = (schema: z.ZodType, io: 'input' | 'output'): SchemaObject => asSchemaObject(documentSchema(schema, io));

const refTo = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** Records `model` (as what it accepts or produces) on the controller class, for buildApiDocument. */
function registerModel(model: ApiModel, io: 'input' | 'output'): MethodDecorator {
  return (target) => {
    const owner = target.constructor;
    const known = (Reflect.getMetadata(API_COMPONENTS, owner) as ApiComponents | undefined) ?? {};
    const schema = documentSchema(model.schema, io);
    const earlier = known[model.name];
    if (earlier !== undefined && JSON.stringify(earlier) !== JSON.stringify(schema)) {
      throw new Error(`${owner.name}: two different schemas are named "${model.name}" in the API document`);
    }
    Reflect.defineMetadata(API_COMPONENTS, { ...known, [model.name]: schema }, owner);
  };
}

/** The JSON request body, as `model` accepts it (the handler validates it with the same schema). */
export function ApiJsonBody(model: ApiModel, description: string): MethodDecorator {
  return applyDecorators(ApiBody({ required: true, description, schema: refTo(model.name) }), registerModel(model, 'input'));
}

/** A JSON response of `status` whose body is `model`. */
export function ApiJsonResponse(status: number, description: string, model: ApiModel): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description, content: { 'application/json': { schema: refTo(model.name) } } }),
    registerModel(model, 'output'),
  );
}

/** A response that is not JSON (an HTML page, Prometheus text, an event stream), or has no body at all. */
export function ApiOtherResponse(
  status: number,
  description: string,
  content?: { readonly type: string; readonly schema: SchemaObject },
): MethodDecorator {
  return ApiResponse({ status, description, ...(content ? { content: { [content.type]: { schema: content.schema } } } : {}) });
}

/**
 * A Server-Sent Events stream: `events` names each event type and the model of its `data` (JSON). OpenAPI 3.1
 * cannot type the items of a stream (3.2's itemSchema can), so they are listed under `x-events` and in the text.
 */
export function ApiEventStreamResponse(description: string, events: Readonly<Record<string, ApiModel>>): MethodDecorator {
  const list = Object.entries(events).map(([event, model]) => `\`${event}\` (data: ${model.name})`);
  return applyDecorators(
    ApiResponse({
      status: 200,
      description: `${description}. Events: ${list.join(', ')}.`,
      content: {
        // An extension (x-) is allowed in a Media Type Object; @nestjs/swagger's type does not list extensions.
        'text/event-stream': {
          schema: { type: 'string', description: 'Server-Sent Events: `event: <type>` and `data: <one line of JSON>` per event' },
          'x-events': Object.fromEntries(Object.entries(events).map(([event, model]) => [event, refTo(model.name)])),
        } as MediaTypeObject,
      },
    }),
    ...Object.values(events).map((model) => registerModel(model, 'output')),
  );
}

/** A path parameter with the schema the handler checks it against. */
export function ApiPathParam(name: string, schema: z.ZodType, description: string): MethodDecorator {
  return ApiParam({ name, required: true, description, schema: inlineSchema(schema, 'input') });
}

/** A query parameter (optional unless `required`), one value; given twice it is refused. */
export function ApiQueryParam(
  name: string,
  schema: z.ZodType,
  description: string,
  options: { readonly required?: boolean } = {},
): MethodDecorator {
  return ApiQuery({ name, required: options.required ?? false, description, schema: inlineSchema(schema, 'input') });
}

/** An optional request header. */
export function ApiRequestHeader(name: string, schema: z.ZodType, description: string): MethodDecorator {
  return ApiHeader({ name, required: false, description, schema: inlineSchema(schema, 'input') });
}
