import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type PathItemObject,
  type ReferenceObject,
} from '@nestjs/swagger';
import { PLATFORM_OPTIONS, type PlatformOptions } from '../platform/platform.tokens';
import { API_COMPONENTS, documentSchema, type ApiComponents } from './api-schema';
import { HttpError } from './api-shapes';

/** Where every service serves Swagger UI, and its OpenAPI document as JSON. */
export const API_DOCS_PATH = '/docs';
export const API_DOCS_JSON_PATH = '/docs/json';

/** The version of the HTTP APIs (info.version): bump it with a change a client has to follow. */
export const API_VERSION = '1.0.0';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function operationsOf(document: OpenAPIObject): { path: string; method: string; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]: [string, PathItemObject]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ path, method, operation }] : [];
    }),
  );
}

/** The schemas the decorators of ApiJsonBody/ApiJsonResponse recorded on the app's controllers. */
function componentsOf(app: INestApplication): Record<string, unknown> {
  // HttpError always: the 500 of every operation refers to it.
  const components: Record<string, unknown> = { [HttpError.name]: documentSchema(HttpError.schema, 'output') };
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const recorded = (Reflect.getMetadata(API_COMPONENTS, metatype) as ApiComponents | undefined) ?? {};
      for (const [name, schema] of Object.entries(recorded)) {
        const earlier = components[name];
        if (earlier !== undefined && JSON.stringify(earlier) !== JSON.stringify(schema)) {
          throw new Error(`two different schemas are named "${name}" in the API document`);
        }
        components[name] = schema;
      }
    }
  }
  return components;
}

const LOCATIONS = ['path', 'query', 'header', 'cookie'];
const parameterOrder = (p: ParameterObject | ReferenceObject): number => ('in' in p ? LOCATIONS.indexOf(p.in) : LOCATIONS.length);
const parameterName = (p: ParameterObject | ReferenceObject): string => ('name' in p ? p.name : p.$ref);
/** By code unit, as Array.prototype.sort: localeCompare would depend on the machine's locale data. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Object keys sorted at every level (arrays keep their order): the same API gives the same bytes. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The OpenAPI 3.1 document of the app's routes: @nestjs/swagger's scan of the controllers and their
 * decorators, the components from the zod schemas, a 500 on every operation (any unexpected failure, such as
 * the database not answering, leaves as Nest's `{ statusCode: 500, message }`), keys sorted. The app need not
 * be initialised, nor even have its providers: the scan reads metadata only (see previewApiDocument).
 */
export function buildApiDocument(app: INestApplication, info: { readonly service: string }): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(info.service)
    .setDescription(
      `The HTTP API of ${info.service}. Generated from its controllers and the zod schemas they validate and answer with ` +
        `(docs/openapi/${info.service}.json, npm run docs:openapi); do not edit.`,
    )
    .setVersion(API_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'ADMIN_TOKEN of the service (/admin/* only)' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  for (const { operation } of operationsOf(document)) {
    // Decorators apply bottom-up, so @nestjs/swagger lists parameters backwards: path, query, header, each by name.
    operation.parameters?.sort((a, b) => parameterOrder(a) - parameterOrder(b) || byCodeUnit(parameterName(a), parameterName(b)));
    operation.responses['500'] ??= {
      description: 'an unexpected failure (the database did not answer, a bug): nothing is promised about what happened',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${HttpError.name}` } } },
    };
  }
  // The bearer scheme only where an operation asks for it (/admin/*): the monolith has none.
  const { securitySchemes, ...components } = document.components ?? {};
  const secured = operationsOf(document).some(({ operation }) => (operation.security?.length ?? 0) > 0);
  document.components = {
    ...components,
    ...(secured ? { securitySchemes } : {}),
    schemas: { ...components.schemas, ...componentsOf(app) },
  } as OpenAPIObject['components'];
  // DocumentBuilder's empty placeholders say nothing (the controllers' tags are on the operations).
  const { servers: _servers, tags: _tags, ...rest } = document;
  const { contact: _contact, ...described } = document.info;
  return sortedKeys({ ...rest, info: described }) as OpenAPIObject;
}

/** The committed form of a document: docs/openapi/<service>.json. */
export function renderApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * What a document misses (empty when complete): every operation has a summary, a documented 2xx and a
 * description on every response, and every $ref resolves. The staleness tests check it.
 */
export function apiDocumentProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const { path, method, operation } of operationsOf(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!operation.summary) problems.push(`${where}: no summary (@ApiOperation)`);
    const statuses = Object.keys(operation.responses);
    if (!statuses.some((status) => /^2\d\d$/.test(status))) problems.push(`${where}: no success response`);
    for (const status of statuses) {
      const response = operation.responses[status] as { description?: string };
      if (!response.description) problems.push(`${where}: response ${status} has no description (undocumented default?)`);
    }
  }
  const schemas = document.components?.schemas ?? {};
  for (const match of JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
    if (!((match[1] as string) in schemas)) problems.push(`$ref to a missing schema: ${match[1]}`);
  }
  return problems;
}

/**
 * Swagger UI at API_DOCS_PATH and the app's document at API_DOCS_JSON_PATH (docs/openapi/<service>.json holds
 * the same document). Call it before app.init(): fastify takes routes only until it is ready. `service` names
 * the document; without it, PlatformModule's `service` does (the monolith, which has no PlatformModule, is
 * started by bootstrapService, which passes its name).
 */
export function serveServiceApiDocs(app: INestApplication, service: string | undefined): void {
  const platform = [...app.get(ModulesContainer).values()]
    .map((module) => module.providers.get(PLATFORM_OPTIONS)?.instance as PlatformOptions | undefined)
    .find((instance) => instance !== undefined);
  const document = buildApiDocument(app, { service: service ?? platform?.service ?? 'service' });
  SwaggerModule.setup(API_DOCS_PATH, app, document, {
    jsonDocumentUrl: API_DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: `${document.info.title} API`,
  });
}
