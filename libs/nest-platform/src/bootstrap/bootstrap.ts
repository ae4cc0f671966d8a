import type { DynamicModule, INestApplication, LoggerService, Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { CustomStrategy } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
// Types only: fastify comes with @nestjs/platform-fastify.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { ConfigError, type LogLevel } from '../config/env';
import { ApiErrorFilter, apiErrorBody } from '../http/api-error';
import { JSON_SUFFIX_MEDIA_TYPE, MalformedJsonBodyInterceptor, parseJsonBody, unreadableBody } from '../http/json-body';
import { JsonLogger } from '../logging/json.logger';
import { METRICS_REGISTRY, registerHttpMetrics, type HookHost } from '../metrics/http-metrics.hook';
import { ViewTransport } from '../transport/view.transport';
import { serveServiceApiDocs } from '../openapi/api-document';

/** Largest request body accepted (413 above it); the size express' JSON parser allowed. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** Exit code for a bad configuration (EX_CONFIG of sysexits.h). */
export const EXIT_CONFIG = 78;

export interface CreateServiceAppOptions {
  readonly logger: LoggerService;
  /** The title of the API document at GET /docs; default: PlatformModule's `service` (bootstrapService passes its own). */
  readonly service?: string;
}

/**
 * The Nest application on platform-fastify (about 2.5× the requests per second of platform-express in
 * `npm run bench:system`'s side-by-side run), not yet initialised or listening, with shutdown hooks enabled
 * (SIGTERM/SIGINT → app.close(): consumers stop first, then HTTP, Kafka and the database). main.ts (through
 * bootstrapService) and integration tests start services here.
 */
export async function createServiceApp(
  rootModule: DynamicModule | Type<unknown>,
  options: CreateServiceAppOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule,
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      // A path fastify cannot decode (`/orders/%E0`) is answered before the router, outside Nest's filters.
      frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
        const status = error.statusCode ?? 400;
        void reply.code(status).send(apiErrorBody(status, error.message));
      },
    }),
    { logger: options.logger, abortOnError: false },
  );
  app.enableShutdownHooks();
  // Every 4xx, from a controller, a guard or fastify (413, 415), leaves in the one error body.
  app.useGlobalFilters(new ApiErrorFilter(app.getHttpAdapter(), BODY_LIMIT_BYTES));
  // Bodies are JSON: application/json (any charset parameter) and application/*+json. JSON that does not parse
  // reaches the route as MalformedJsonBody and leaves as a 400 through the guards and the exception filter. A
  // non-empty body of any other media type, or of none, is a 415 (fastify's default text/plain parser is removed).
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.removeContentTypeParser('text/plain');
  const json = (_request: unknown, body: Buffer, done: (error: Error | null, body?: unknown) => void) => done(null, parseJsonBody(body));
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, json);
  app.useBodyParser(JSON_SUFFIX_MEDIA_TYPE, { bodyLimit: BODY_LIMIT_BYTES }, json);
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    const refused = unreadableBody(request.headers['content-type'], body as Buffer);
    if (refused) done(refused);
    else done(null, undefined);
  });
  app.useGlobalInterceptors(new MalformedJsonBodyInterceptor());
  // Before app.init() registers the routes: every request is timed (http_request_duration_seconds).
  const registry = provided<Registry>(app, METRICS_REGISTRY);
  if (registry) registerHttpMetrics(app.getHttpAdapter().getInstance() as HookHost, registry);
  // A hybrid app: HTTP plus the views, run by the platform's custom transport strategy. Started here, before
  // app.init(), so that the views are registered when the platform provisions their topics.
  const transport = provided<ViewTransport>(app, ViewTransport);
  if (transport) {
    app.connectMicroservice<CustomStrategy>({ strategy: transport });
    try {
      await app.startAllMicroservices();
    } catch (error) {
      // The Kafka clients and the database pool are open already: a failed start closes them, or the process
      // (a test runner, a supervisor's child) would not exit.
      await app.close().catch(() => undefined);
      throw error;
    }
  }
  // Swagger UI at GET /docs, the OpenAPI document at GET /docs/json (before app.init(), like the hook above).
  serveServiceApiDocs(app, options.service);
  return app;
}

/**
 * A provider's instance looked up in the module graph rather than with app.get(), which logs an error through
 * Nest's exception zone when the provider is absent (an app without PlatformModule, such as the monolith).
 */
function provided<T>(app: INestApplication, token: string | symbol | Type<T>): T | undefined {
  return [...app.get(ModulesContainer).values()]
    .map((module) => module.providers.get(token)?.instance as T | undefined)
    .find((instance) => instance !== undefined);
}

/** Every interface, IPv6 and IPv4 (fastify alone would listen on localhost only); IPv4 where IPv6 is off. */
async function listenEverywhere(app: INestApplication, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EAFNOSUPPORT' && (error as { code?: unknown }).code !== 'EADDRNOTAVAIL') throw error;
    await app.listen(port, '0.0.0.0');
  }
}

export interface BootstrapHooks {
  /** Pass it to PlatformModule.forRoot({ onFatal }): a view's consumer died for good. */
  readonly onFatal: (error: Error) => void;
}

export interface BootstrapOptions<TConfig extends { readonly port: number; readonly logLevel: LogLevel }> {
  readonly service: string;
  /** Reads the environment; a ConfigError is printed to stderr and the process exits 78. */
  readonly loadConfig: () => TConfig;
  /** The service's root module for this configuration. */
  readonly module: (config: TConfig, hooks: BootstrapHooks) => DynamicModule | Type<unknown>;
  /** Interface to listen on (default: all). */
  readonly host?: string;
}

/**
 * The whole of a service's main.ts: config (exit 78 on ConfigError), JSON logger, Nest app with shutdown
 * hooks, listen on config.port. A view consumer that dies for good closes the app gracefully and exits 1
 * (the orchestrator restarts the service); a failed start exits 1. Resolves with the listening app.
 */
export async function bootstrapService<TConfig extends { readonly port: number; readonly logLevel: LogLevel }>(
  options: BootstrapOptions<TConfig>,
): Promise<INestApplication> {
  let config: TConfig;
  try {
    config = options.loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return process.exit(EXIT_CONFIG);
    }
    new JsonLogger({ service: options.service }).fatal(error instanceof Error ? error : new Error(String(error)), 'Main');
    return process.exit(1);
  }
  const logger = new JsonLogger({ service: options.service, level: config.logLevel });
  try {
    const running: { app?: INestApplication } = {};
    const onFatal = (error: Error) => {
      logger.fatal({ msg: 'stopping after a fatal error', error: error.message }, 'Main');
      const exit = () => process.exit(1);
      if (running.app) void running.app.close().then(exit, exit);
      else exit();
    };
    const app = await createServiceApp(options.module(config, { onFatal }), { logger, service: options.service });
    running.app = app;
    if (options.host === undefined) await listenEverywhere(app, config.port);
    else await app.listen(config.port, options.host);
    logger.log({ msg: 'listening', port: config.port, url: `http://localhost:${config.port}` }, 'Main');
    return app;
  } catch (error) {
    logger.fatal(error instanceof Error ? error : new Error(String(error)), 'Main');
    return process.exit(1);
  }
}
