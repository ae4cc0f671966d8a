import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { apiError } from './api-error';

/**
 * A request body sent as JSON that does not parse. The platform's JSON body parser hands it to the route
 * instead of failing in the HTTP server, so the failure goes through Nest's guards and exception filters like
 * any other 400 (MalformedJsonBodyInterceptor), in the one error body (ApiErrorFilter).
 */
export class MalformedJsonBody {
  constructor(readonly message: string) {}
}

/**
 * The media types read as JSON besides application/json (with or without parameters such as charset):
 * every `application/<anything>+json` (RFC 6839), e.g. application/merge-patch+json. Matched by fastify against
 * the normalized Content-Type (lower case, `type/subtype; key="value"`).
 */
export const JSON_SUFFIX_MEDIA_TYPE = /^application\/[^\s/;]+\+json(?:;|$)/;

/** Body parser for the JSON media types: the parsed value, or MalformedJsonBody; an empty body is undefined. */
export function parseJsonBody(raw: Buffer | string): unknown {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.length === 0) return undefined;
  try {
    // JSON.parse never sets prototypes: a "__proto__" key stays an ordinary own property.
    return JSON.parse(text) as unknown;
  } catch (error) {
    return new MalformedJsonBody((error as Error).message);
  }
}

/**
 * The answer to a body of any other media type (or of none): 415, unless the body is empty, which a route that
 * takes no body (POST /admin/...) may receive with whatever Content-Type a client sets.
 */
export function unreadableBody(contentType: string | undefined, body: Buffer): Error | undefined {
  if (body.length === 0) return undefined;
  const given = contentType === undefined || contentType.trim() === '' ? 'a body without a Content-Type' : `Content-Type ${contentType}`;
  return apiError(415, `${given} is not read here: send JSON (application/json)`, {
    reasons: [`content-type: ${JSON.stringify(contentType ?? null)} is not application/json or application/*+json`],
  });
}

/** Turns a MalformedJsonBody into a 400 in the one error body (registered globally by createServiceApp). */
@Injectable()
export class MalformedJsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
      if (body instanceof MalformedJsonBody) {
        throw apiError(400, 'the body is not valid JSON', { reasons: [`(body): not valid JSON (${body.message})`] });
      }
    }
    return next.handle();
  }
}
