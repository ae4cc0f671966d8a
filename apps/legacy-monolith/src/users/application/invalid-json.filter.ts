import { BadRequestException, Catch, HttpStatus, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * body-parser's SyntaxError for a body that is not JSON reaches the filters as a plain
 * `BadRequestException(err.message)` (Nest's mapExternalException) before any controller ran. Our own 400s
 * carry `{ error, reasons }`. This answers a malformed body in the same shape:
 * `{ error: 'invalid user', reasons: ['(body): not valid JSON (…)'] }`; anything else keeps Nest's handling.
 */
function isMalformedBody(exception: unknown): exception is BadRequestException {
  if (!(exception instanceof BadRequestException)) return false;
  const body = exception.getResponse();
  return typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' && !('reasons' in body);
}

@Catch()
export class InvalidJsonFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!isMalformedBody(exception)) return super.catch(exception, host);
    const message = (exception.getResponse() as { message: string }).message;
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(HttpStatus.BAD_REQUEST)
      .json({ error: 'invalid user', reasons: [`(body): not valid JSON (${message})`] });
  }
}
