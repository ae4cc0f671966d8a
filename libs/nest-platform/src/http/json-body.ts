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

/**
 * A JSON body with a string (or a key) that PostgreSQL cannot store and UTF-8 cannot carry: U+0000, or half of a
 * surrogate pair (`"\ud800"` alone). Refused with a 400 at the door: a service would otherwise fail on the
 * write with a 500 (found by the fuzz test of POST /orders: `invalid input syntax for type json`).
 */
export class UnstorableJsonBody {
  constructor(readonly reason: string) {}
}

// NUL is exactly what is looked for here.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorableIn(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  const code = found[0].charCodeAt(0);
  return code === 0 ? 'U+0000 (NUL)' : `a lone surrogate U+${code.toString(16).toUpperCase()}`;
}

/** Why a parsed JSON value cannot be stored as text (`path: has …`), or undefined. Iterative: any depth. */
export function unstorableText(value: unknown): string | undefined {
  const stack: { readonly value: unknown; readonly path: string }[] = [{ value, path: '' }];
  const where = (path: string) => (path === '' ? '(body)' : path.length > 200 ? `${path.slice(0, 200)}…` : path);
  while (stack.length > 0) {
    const { value: node, path } = stack.pop() as { value: unknown; path: string };
    if (typeof node === 'string') {
      const bad = unstorableIn(node);
      if (bad) return `${where(path)}: has ${bad}, which cannot be stored`;
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], path: path === '' ? String(i) : `${path}.${i}` });
    } else if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i] as [string, unknown];
        const bad = unstorableIn(key);
        if (bad) return `${where(path)}: a field name has ${bad}, which cannot be stored`;
        stack.push({ value: item, path: path === '' ? key : `${path}.${key}` });
      }
    }
  }
  return undefined;
}

/**
 * Body parser for the JSON media types: the parsed value, or MalformedJsonBody (not JSON) or UnstorableJsonBody
 * (a string PostgreSQL cannot store); an empty body is undefined.
 */
export function parseJsonBody(raw: Buffer | string): unknown {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.length === 0) return undefined;
  let value: unknown;
  try {
    // JSON.parse never sets prototypes: a "__proto__" key stays an ordinary own property.
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return new MalformedJsonBody((error as Error).message);
  }
  const unstorable = unstorableText(value);
  return unstorable === undefined ? value : new UnstorableJsonBody(unstorable);
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

/** Turns a MalformedJsonBody or an UnstorableJsonBody into a 400 in the one error body (registered globally by createServiceApp). */
@Injectable()
export class MalformedJsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
      if (body instanceof MalformedJsonBody) {
        throw apiError(400, 'the body is not valid JSON', { reasons: [`(body): not valid JSON (${body.message})`] });
      }
      if (body instanceof UnstorableJsonBody) throw apiError(400, 'the body has text that cannot be stored', { reasons: [body.reason] });
    }
    return next.handle();
  }
}
