import { BadRequestException, Catch, HttpStatus, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

interface HttpRequestLike {
  readonly method?: string;
  readonly path?: string;
}

/**
 * body-parser's SyntaxError for a body that is not JSON, as Nest hands it to the filters: Nest's express
 * error handler maps it to a plain `new BadRequestException(err.message)` (@nestjs/core routes-resolver,
 * mapExternalException), before any controller ran. Our own 400s carry an object body, never a plain message.
 */
function isMalformedBody(exception: unknown): exception is BadRequestException {
  if (!(exception instanceof BadRequestException)) return false;
  const body = exception.getResponse();
  return typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' && !('reasons' in body);
}

/**
 * POST /orders with malformed JSON is a 400 in the same shape as a schema failure
 * (`{ error: 'invalid order', reasons: ['(body): not valid JSON (…)'] }`); every other exception keeps Nest's
 * default handling.
 */
@Catch()
export class InvalidJsonFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<HttpRequestLike>();
    if (request.method !== 'POST' || request.path !== '/orders' || !isMalformedBody(exception)) {
      return super.catch(exception, host);
    }
    const message = (exception.getResponse() as { message: string }).message;
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(HttpStatus.BAD_REQUEST)
      .json({ error: 'invalid order', reasons: [`(body): not valid JSON (${message})`] });
  }
}
