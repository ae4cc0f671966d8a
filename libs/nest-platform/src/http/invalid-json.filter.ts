import { BadRequestException, Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter, type Type } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

export interface HttpRequestLike {
  readonly method?: string;
  readonly path?: string;
}

/**
 * body-parser's SyntaxError for a body that is not JSON, as Nest hands it to the filters: Nest's express
 * error handler maps it to a plain `new BadRequestException(err.message)` (@nestjs/core routes-resolver,
 * mapExternalException), before any controller ran. Our own 400s carry an object body with `reasons`.
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
      const request = host.switchToHttp().getRequest<HttpRequestLike>();
      if (!isMalformedBody(exception) || (options.appliesTo && !options.appliesTo(request))) {
        return super.catch(exception, host);
      }
      const message = (exception.getResponse() as { message: string }).message;
      host
        .switchToHttp()
        .getResponse<{ status(code: number): { json(body: unknown): void } }>()
        .status(HttpStatus.BAD_REQUEST)
        .json({ error: options.error, reasons: [`(body): not valid JSON (${message})`] });
    }
  }
  return InvalidJsonFilter;
}
