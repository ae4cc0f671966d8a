import { BadRequestException, Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter, type Type } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

export interface HttpRequestLike {
  readonly method?: string;
  /** The path without the query string. */
  readonly path?: string;
}

/**
 * A body that is not JSON, as the platform hands it to the filters: a plain `new BadRequestException(message)`
 * (MalformedJsonBodyInterceptor, before the controller runs). Our own 400s carry an object body with `reasons`.
 */
function isMalformedBody(exception: unknown): exception is BadRequestException {
  if (!(exception instanceof BadRequestException)) return false;
  const body = exception.getResponse();
  return typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' && !('reasons' in body);
}

/**
 * An exception filter (register it as APP_FILTER) that answers a malformed JSON body in the same shape as a
 * schema failure: 400 `{ error, reasons: ['(body): not valid JSON (…)'] }`, for the requests `appliesTo`
 * accepts (default: all). Every other exception keeps Nest's default handling.
 */
export function invalidJsonFilter(options: { error: string; appliesTo?: (request: HttpRequestLike) => boolean }): Type<ExceptionFilter> {
  @Catch()
  class InvalidJsonFilter extends BaseExceptionFilter {
    override catch(exception: unknown, host: ArgumentsHost): void {
      const raw = host.switchToHttp().getRequest<{ method?: string; url?: string }>();
      const request: HttpRequestLike = { method: raw.method, path: raw.url?.split('?')[0] };
      if (!isMalformedBody(exception) || (options.appliesTo && !options.appliesTo(request))) {
        return super.catch(exception, host);
      }
      const message = (exception.getResponse() as { message: string }).message;
      const adapter = this.httpAdapterHost?.httpAdapter ?? this.applicationRef;
      if (!adapter) return super.catch(exception, host);
      adapter.reply(
        host.switchToHttp().getResponse(),
        { error: options.error, reasons: [`(body): not valid JSON (${message})`] },
        HttpStatus.BAD_REQUEST,
      );
    }
  }
  return InvalidJsonFilter;
}
