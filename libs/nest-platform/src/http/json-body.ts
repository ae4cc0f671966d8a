import { BadRequestException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';

/**
 * A request body sent as JSON that does not parse. The platform's JSON body parser hands it to the route
 * instead of failing in the HTTP server, so the failure goes through Nest's exception filters like any other
 * 400 (see invalidJsonFilter) and every service answers it in its own error shape.
 */
export class MalformedJsonBody {
  constructor(readonly message: string) {}
}

/** Body parser for application/json: the parsed value, or MalformedJsonBody; an empty body is undefined. */
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

/** Turns a MalformedJsonBody into the BadRequestException that invalidJsonFilter reshapes (registered globally by createServiceApp). */
@Injectable()
export class MalformedJsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
      if (body instanceof MalformedJsonBody) throw new BadRequestException(body.message);
    }
    return next.handle();
  }
}
