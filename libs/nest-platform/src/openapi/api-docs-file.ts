import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildApiDocument, renderApiDocument } from './api-document';

/** What docs/openapi/<service>.json is built from: each app's src/api-docs.ts exports one (`apiDocs`). */
export interface ApiDocsSource {
  readonly service: string;
  /** The app's root module, for a configuration that is never used to connect (API_DOCS_ENV). */
  readonly module: () => DynamicModule | Type<unknown>;
}

/**
 * An environment that every service's loadConfig accepts; previewApiDocument never dials these addresses
 * (`.invalid` cannot resolve, RFC 2606), so generating or checking the documents needs no Kafka and no PostgreSQL.
 */
export const API_DOCS_ENV: Readonly<Record<string, string>> = {
  KAFKA_BROKERS: 'kafka.invalid:9092',
  DATABASE_URL: 'postgresql://postgres.invalid/api_docs',
};

const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

/** docs/openapi/<service>.json in the workspace. */
export const apiDocumentFile = (service: string): string => path.join(WORKSPACE_ROOT, 'docs', 'openapi', `${service}.json`);

/**
 * The document GET /docs/json serves, without starting anything: Nest's preview mode builds the module graph
 * (controllers, routes, their decorators) but calls no provider's constructor or factory, so no Kafka client,
 * Prisma client or consumer is created and nothing connects; buildApiDocument needs only that graph. The app
 * is neither initialised nor closed (closing would run lifecycle hooks on providers that were never made).
 */
export async function previewApiDocument(source: ApiDocsSource): Promise<OpenAPIObject> {
  const app = await NestFactory.create(source.module(), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  return buildApiDocument(app, { service: source.service });
}

/** The text docs/openapi/<service>.json must hold. */
export async function renderApiDocs(source: ApiDocsSource): Promise<string> {
  return renderApiDocument(await previewApiDocument(source));
}

/** The committed docs/openapi/<service>.json ('' when there is none yet). */
export function committedApiDocument(service: string): string {
  try {
    return readFileSync(apiDocumentFile(service), 'utf8');
  } catch {
    return '';
  }
}
