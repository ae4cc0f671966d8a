import { Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * The one body of every 4xx answer of every service:
 *
 *   { "statusCode": 400, "error": "Bad Request", "message": "invalid order", "reasons": ["lines: …", "currency: …"] }
 *
 * `error` is the status text, `message` one line for a person, `reasons` every problem found (`field: problem` where a
 * field is at fault; the message alone when there is nothing more to say). A few answers add fields of their own
 * (order-validation's 409 and 422: `orderId`). 5xx answers are not reshaped (the health report is the body of a
 * 503 of /health).
 */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly reasons: readonly string[];
  readonly [field: string]: unknown;
}

/**
 * Status texts as Nest's HttpException subclasses name them, fixed here rather than taken from Node's
 * `http.STATUS_CODES`, whose names follow the RFC of the Node version (413 is "Content Too Large" in RFC 9110).
 */
const STATUS_TEXTS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
};

/** The status text of a 4xx ("Client Error" for one without a name). */
export const statusText = (status: number): string => STATUS_TEXTS[status] ?? 'Client Error';

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');

/**
 * The one error body from whatever an exception carried: Nest's `{ statusCode, message, error }` (a string or,
 * for a list of problems, an array message), a plain string, or a body already in this shape. A body's own
 * fields besides these four (an `orderId`) are kept.
 */
export function apiErrorBody(status: number, response: unknown): ApiErrorBody {
  const error = statusText(status);
  if (typeof response === 'string') return { statusCode: status, error, message: response, reasons: [response] };
  const {
    statusCode: _statusCode,
    error: ownError,
    message: ownMessage,
    reasons: ownReasons,
    ...fields
  } = response !== null && typeof response === 'object' ? (response as Record<string, unknown>) : {};
  // An older body's `error` was a word of the service's own ("invalid order"): it becomes the message.
  const word = typeof ownError === 'string' && ownError !== error ? ownError : undefined;
  const reasons = isStringList(ownReasons)
    ? ownReasons
    : isStringList(ownMessage)
      ? ownMessage
      : [typeof ownMessage === 'string' ? ownMessage : (word ?? error)];
  const message = typeof ownMessage === 'string' ? ownMessage : (word ?? reasons.join('; '));
  return { ...fields, statusCode: status, error, message, reasons };
}

/**
 * An exception that leaves as the one error body: `throw apiError(400, 'invalid order', { reasons })`,
 * `throw apiError(409, 'order "o-1" has already been placed', { orderId: 'o-1' })`. Without reasons, the
 * message is the one reason.
 */
export function apiError(
  status: number,
  message: string,
  details: { readonly reasons?: readonly string[]; readonly [field: string]: unknown } = {},
): HttpException {
  const { reasons, ...fields } = details;
  return new HttpException(
    {
      ...fields,
      statusCode: status,
      error: statusText(status),
      message,
      reasons: reasons && reasons.length > 0 ? [...reasons] : [message],
    },
    status,
  );
}

/** The status of an exception as HTTP would answer it: an HttpException's, or a fastify error's `statusCode`. */
function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const candidate = exception as { statusCode?: unknown; message?: unknown } | null;
  if (candidate && typeof candidate.statusCode === 'number' && typeof candidate.message === 'string') return candidate.statusCode;
  return undefined;
}

/**
 * fastify's own messages for the errors it answers before a route runs (Nest hands them on as
 * `HttpException(message, statusCode)`), in the words of this API.
 */
function frameworkMessage(status: number, response: unknown, bodyLimitBytes: number): string | undefined {
  if (status === 413 && response === 'Request body is too large') {
    return `the body is larger than ${bodyLimitBytes / 1024} KB (${bodyLimitBytes} bytes)`;
  }
  if (status === 415 && response === 'Unsupported Media Type') return 'the Content-Type is not a media type: send application/json';
  return undefined;
}

/**
 * The global exception filter of every service (createServiceApp registers it): each 4xx, thrown by a
 * controller, a guard, an interceptor or fastify itself (413 body too large, 415, a bad Content-Length), leaves
 * as the one ApiErrorBody. Everything else keeps Nest's handling (5xx as `{ statusCode, message }`).
 */
@Catch()
export class ApiErrorFilter extends BaseExceptionFilter {
  constructor(
    applicationRef: ConstructorParameters<typeof BaseExceptionFilter>[0],
    private readonly bodyLimitBytes: number,
  ) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const status = statusOf(exception);
    const adapter = this.httpAdapterHost?.httpAdapter ?? this.applicationRef;
    if (host.getType() !== 'http' || status === undefined || status < 400 || status > 499 || !adapter) {
      return super.catch(exception, host);
    }
    const raw = exception instanceof HttpException ? exception.getResponse() : (exception as { message: string }).message;
    const response = frameworkMessage(status, raw, this.bodyLimitBytes) ?? raw;
    adapter.reply(host.switchToHttp().getResponse(), apiErrorBody(status, response), status);
  }
}
