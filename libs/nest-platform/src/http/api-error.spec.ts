import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Module,
  NotFoundException,
  Post,
  ServiceUnavailableException,
  UnauthorizedException,
  type INestApplication,
} from '@nestjs/common';
import { BODY_LIMIT_BYTES, createServiceApp } from '../bootstrap/bootstrap';
import { JsonLogger } from '../logging/json.logger';
import { apiErrorSchema } from '../openapi/api-shapes';
import { apiError, apiErrorBody, statusText } from './api-error';

describe('apiErrorBody: the one 4xx body from what an exception carried', () => {
  it.each([
    ['a string', 'no view named "x"', { message: 'no view named "x"', reasons: ['no view named "x"'] }],
    [
      "Nest's body with a string message",
      { statusCode: 401, error: 'Unauthorized', message: 'wrong admin token' },
      { message: 'wrong admin token', reasons: ['wrong admin token'] },
    ],
    [
      "Nest's body with a list of problems",
      { statusCode: 400, error: 'Bad Request', message: ['limit must be at least 1', 'offset must be a whole number'] },
      {
        message: 'limit must be at least 1; offset must be a whole number',
        reasons: ['limit must be at least 1', 'offset must be a whole number'],
      },
    ],
    [
      "a service's older { error, reasons }",
      { error: 'invalid order', reasons: ['currency: bad'] },
      { message: 'invalid order', reasons: ['currency: bad'] },
    ],
    ['nothing usable', { statusCode: 400 }, { message: 'Bad Request', reasons: ['Bad Request'] }],
  ])('%s', (_what, response, expected) => {
    const body = apiErrorBody(400, response);
    expect(body).toEqual({ statusCode: 400, error: 'Bad Request', ...expected });
    expect(apiErrorSchema.safeParse(body).success).toBe(true);
  });

  it('keeps fields of its own (an orderId) and fixes statusCode and error to the status', () => {
    expect(apiErrorBody(409, { statusCode: 400, error: 'order already placed', orderId: 'o-1', message: 'taken' })).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'taken',
      reasons: ['taken'],
      orderId: 'o-1',
    });
  });

  it('names the statuses as Nest does, whatever the Node version', () => {
    expect([400, 401, 404, 409, 413, 415, 422, 429, 499].map(statusText)).toEqual([
      'Bad Request',
      'Unauthorized',
      'Not Found',
      'Conflict',
      'Payload Too Large',
      'Unsupported Media Type',
      'Unprocessable Entity',
      'Too Many Requests',
      'Client Error',
    ]);
  });

  it('apiError builds the body directly (the message as the one reason when none are given)', () => {
    expect(apiError(422, 'key reused', { orderId: 'o-1' }).getResponse()).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'key reused',
      reasons: ['key reused'],
      orderId: 'o-1',
    });
    expect(apiError(400, 'invalid order', { reasons: ['a: b', 'c: d'] }).getStatus()).toBe(400);
  });
});

@Controller('things')
class ThingsController {
  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): { readonly received: unknown } {
    return { received: body === undefined ? '(none)' : body };
  }

  @Get('refused')
  refused(): never {
    throw new BadRequestException(['a: wrong', 'b: missing']);
  }

  @Get('guarded')
  guarded(): never {
    throw new UnauthorizedException('wrong admin token');
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException();
  }

  @Get('gone')
  gone(): never {
    throw new NotFoundException({ error: 'not found', reasons: ['thing "t" does not exist'] });
  }

  @Get('down')
  down(): never {
    throw new ServiceUnavailableException({ status: 'down', checks: [] });
  }

  @Get('broken')
  broken(): never {
    throw new Error('a bug');
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('createServiceApp: JSON bodies only, every 4xx in the one error body', () => {
  let app: INestApplication;
  let inject: (options: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: string;
  }) => Promise<{ statusCode: number; body: string }>;
  const post = async (contentType: string | undefined, payload: string) => {
    const answer = await inject({
      method: 'POST',
      url: '/things',
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      payload,
    });
    return { status: answer.statusCode, body: JSON.parse(answer.body) as Record<string, unknown> };
  };
  const get = async (url: string) => {
    const answer = await inject({ method: 'GET', url });
    return { status: answer.statusCode, body: JSON.parse(answer.body) as Record<string, unknown> };
  };
  const isApiError = (status: number, body: unknown) => {
    const parsed = apiErrorSchema.strict().safeParse(body);
    return parsed.success && parsed.data.statusCode === status && parsed.data.error === statusText(status);
  };

  beforeAll(async () => {
    app = await createServiceApp(ThingsModule, { logger: new JsonLogger({ service: 'things', level: 'fatal' }), service: 'things' });
    await app.init();
    const fastify = app.getHttpAdapter().getInstance() as { inject: typeof inject };
    inject = fastify.inject.bind(fastify);
  });

  afterAll(() => app.close());

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/merge-patch+json',
    'application/vnd.shop.order+json; charset=utf-8',
  ])('reads %s', async (contentType) => {
    expect(await post(contentType, '{"a":[1,"ü"]}')).toEqual({ status: 201, body: { received: { a: [1, 'ü'] } } });
  });

  it.each([
    ['text/plain', '{"a":1}'],
    ['text/plain; charset=utf-8', '{"a":1}'],
    ['application/x-www-form-urlencoded', 'a=1'],
    ['application/xml', '<a/>'],
    ['multipart/form-data; boundary=x', '--x--'],
    ['application/jsonx', '{"a":1}'],
    ['application/json-patch', '[]'],
    ['text/json+html', '{"a":1}'],
    ['not a media type', '{"a":1}'],
    [undefined, '{"a":1}'],
  ])('answers 415 to a body of %s', async (contentType, payload) => {
    const answer = await post(contentType, payload);
    expect(answer.status).toBe(415);
    expect(isApiError(415, answer.body)).toBe(true);
  });

  it('takes an empty body with any Content-Type (a POST that needs no body)', async () => {
    expect(await post('text/plain', '')).toEqual({ status: 201, body: { received: '(none)' } });
    expect(await post(undefined, '')).toEqual({ status: 201, body: { received: '(none)' } });
    expect(await post('application/json', '')).toEqual({ status: 201, body: { received: '(none)' } });
  });

  it('answers 400 to JSON that does not parse and 413 to a body over the limit, whatever its type', async () => {
    const malformed = await post('application/json', '{"a": [');
    expect(malformed).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'the body is not valid JSON',
        reasons: [expect.stringMatching(/^\(body\): not valid JSON \(/)],
      },
    });
    for (const contentType of ['application/json', 'text/plain']) {
      const big = await post(contentType, JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT_BYTES) }));
      expect(big).toEqual({
        status: 413,
        body: {
          statusCode: 413,
          error: 'Payload Too Large',
          message: 'the body is larger than 100 KB (102400 bytes)',
          reasons: ['the body is larger than 100 KB (102400 bytes)'],
        },
      });
    }
  });

  it("reshapes every 4xx (a controller's, a guard's, an unknown route, an undecodable path) and leaves 5xx alone", async () => {
    const answers = {
      refused: await get('/things/refused'),
      guarded: await get('/things/guarded'),
      forbidden: await get('/things/forbidden'),
      gone: await get('/things/gone'),
      unknown: await get('/nothing-here'),
      undecodable: await get('/things/%E0%A4%A'),
    };
    for (const answer of Object.values(answers)) expect(isApiError(answer.status, answer.body)).toBe(true);
    expect(answers.refused.body).toMatchObject({ message: 'a: wrong; b: missing', reasons: ['a: wrong', 'b: missing'] });
    expect(answers.guarded.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'wrong admin token',
      reasons: ['wrong admin token'],
    });
    expect(answers.gone.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'not found', reasons: ['thing "t" does not exist'] });
    expect(answers.unknown.body).toMatchObject({ statusCode: 404, message: 'Cannot GET /nothing-here' });
    expect(answers.undecodable.status).toBe(400);

    expect(await get('/things/down')).toEqual({ status: 503, body: { status: 'down', checks: [] } });
    expect(await get('/things/broken')).toEqual({ status: 500, body: { statusCode: 500, message: 'Internal server error' } });
  });
});
