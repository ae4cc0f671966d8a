import { Body, Controller, Get, Module, NotFoundException, Param, Post, type INestApplication } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { z } from 'zod';
import { createServiceApp } from '../bootstrap/bootstrap';
import { JsonLogger } from '../logging/json.logger';
import { previewApiDocument } from './api-docs-file';
import { API_DOCS_JSON_PATH, API_DOCS_PATH, apiDocumentProblems, renderApiDocument } from './api-document';
import { ApiJsonBody, ApiJsonResponse, ApiPathParam, ApiQueryParam, apiModel } from './api-schema';
import { ApiErrorResponse, schemaFor } from './api-shapes';

const Thing = apiModel('Thing', z.object({ id: z.string(), size: z.number().int() }));
const NewThing = apiModel('NewThing', z.object({ name: z.string().transform((s) => s.trim()) }));

@Controller('things')
class ThingsController {
  @Post()
  @ApiOperation({ summary: 'Create a thing' })
  @ApiJsonBody(NewThing, 'the thing')
  @ApiJsonResponse(201, 'created', Thing)
  create(@Body() _body: unknown): { id: string; size: number } {
    return { id: 't-1', size: 1 };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One thing' })
  @ApiQueryParam('b', z.string(), 'second')
  @ApiQueryParam('a', z.string(), 'first')
  @ApiPathParam('id', z.string(), 'the id')
  @ApiJsonResponse(200, 'the thing', Thing)
  @ApiErrorResponse(404, 'no such thing')
  get(@Param('id') id: string): never {
    throw new NotFoundException(`no thing ${id}`);
  }

  @Get()
  undocumented(): string {
    return '';
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('the API document of an app', () => {
  it('is built from the decorators and the zod schemas, in preview (nothing instantiated), with sorted keys', async () => {
    const document = await previewApiDocument({ service: 'things', module: () => ThingsModule });
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('things');
    // Bodies as what they accept, responses as what they produce; no `$schema` in a component.
    expect(document.components?.schemas).toEqual({
      ApiError: expect.objectContaining({ required: ['statusCode', 'error', 'message', 'reasons'], additionalProperties: false }),
      HttpError: expect.objectContaining({ required: ['statusCode', 'message'] }),
      NewThing: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      Thing: expect.objectContaining({ required: ['id', 'size'], additionalProperties: false }),
    });
    const get = document.paths['/things/{id}']?.get;
    expect(get?.parameters?.map((p) => ('name' in p ? `${p.in}:${p.name}` : p.$ref))).toEqual(['path:id', 'query:a', 'query:b']);
    // Every operation can fail unexpectedly.
    expect(Object.keys(get?.responses ?? {})).toEqual(['200', '404', '500']);
    expect(document.paths['/things']?.post?.requestBody).toEqual({
      required: true,
      description: 'the thing',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/NewThing' } } },
    });
    const text = renderApiDocument(document);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([...Object.keys(JSON.parse(text) as object)].sort());
    expect(text).toBe(renderApiDocument(await previewApiDocument({ service: 'things', module: () => ThingsModule })));
  });

  it('names what is missing: a route without summary or success response', async () => {
    const document = await previewApiDocument({ service: 'things', module: () => ThingsModule });
    expect(apiDocumentProblems(document)).toEqual([
      'GET /things: no summary (@ApiOperation)',
      'GET /things: response 200 has no description (undocumented default?)',
    ]);
  });

  it('refuses two different schemas under one name', () => {
    const Other = apiModel('Thing', z.object({ other: z.boolean() }));
    expect(() => {
      class Clash {
        @ApiJsonResponse(200, 'a', Thing)
        @ApiJsonResponse(201, 'b', Other)
        twice(): string {
          return '';
        }
      }
      return Clash;
    }).toThrow('two different schemas are named "Thing"');
  });
});

describe('schemaFor', () => {
  interface Answer {
    readonly id: string;
    readonly tags: readonly string[];
    readonly note?: string;
    readonly parent: { readonly id: string } | null;
  }
  const parent = z.object({ id: z.string() }).nullable();

  it('takes a schema that parses to exactly the type (readonly aside), and no other (checked by tsc)', () => {
    expect(schemaFor<Answer>()(z.object({ id: z.string(), tags: z.array(z.string()), note: z.string().optional(), parent }))).toBeDefined();
    // @ts-expect-error an optional field left out
    schemaFor<Answer>()(z.object({ id: z.string(), tags: z.array(z.string()), parent }));
    // @ts-expect-error a field the type does not have
    schemaFor<Answer>()(z.object({ id: z.string(), tags: z.array(z.string()), note: z.string().optional(), parent, extra: z.number() }));
    const notNullable = z.object({
      id: z.string(),
      tags: z.array(z.string()),
      note: z.string().optional(),
      parent: z.object({ id: z.string() }),
    });
    // @ts-expect-error null not allowed
    schemaFor<Answer>()(notNullable);
  });
});

describe('createServiceApp', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await createServiceApp(ThingsModule, { logger: new JsonLogger({ service: 'things', level: 'fatal' }), service: 'things' });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(() => app.close());

  it('serves Swagger UI at /docs, with its assets, and the document at /docs/json', async () => {
    const page = await fetch(`${base}${API_DOCS_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('swagger-ui');
    const bundle = await fetch(`${base}${API_DOCS_PATH}/swagger-ui-bundle.js`);
    expect([bundle.status, bundle.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
    await bundle.arrayBuffer();
    const json = await fetch(`${base}${API_DOCS_JSON_PATH}`);
    expect(await json.json()).toEqual(
      JSON.parse(renderApiDocument(await previewApiDocument({ service: 'things', module: () => ThingsModule }))),
    );
  });
});
