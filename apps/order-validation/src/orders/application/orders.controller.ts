import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { idSchema } from '@shop/contracts';
import { SpanKind, startSpan, type HeaderCarrier } from '@shop/kafka';
import {
  ApiErrorResponse,
  ApiJsonBody,
  ApiJsonResponse,
  ApiPathParam,
  ApiQueryParam,
  ApiRequestHeader,
  apiError,
} from '@shop/nest-platform';
import { z } from 'zod';
import { orderLink, hasVerdict, type OrderStatusView } from '../domain/order-status';
import { parseWaitMs } from '../domain/wait-query';
import { OrdersRepository } from '../infra/orders.repository';
import { PublishFailedError } from './order-intake';
import { PlaceOrderService } from './place-order.service';
import { VerdictWaiter } from './verdict.waiter';
import {
  IdempotencyKeyReusedModel,
  OrderAcceptedModel,
  OrderAlreadyPlacedModel,
  OrderNotPublishedModel,
  OrderStatusModel,
  PlaceOrderRequestModel,
  idempotencyKeySchema,
  waitMsSchema,
} from './orders.api';

export interface OrderAccepted {
  readonly orderId: string;
  readonly status: 'placed';
  readonly links: { readonly self: string };
}

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly placeOrder: PlaceOrderService,
    private readonly orders: OrdersRepository,
    private readonly waiter: VerdictWaiter,
  ) {}

  /**
   * POST /orders → 202 { orderId, status: 'placed', links }; 400 { statusCode, error, message: 'invalid order',
   * reasons } (nothing written); 409 order id already placed; 422 Idempotency-Key reused with another body; 503 broker down
   * (the order is recorded and the outbox relay publishes it once the broker is back; a retry with the same
   * Idempotency-Key answers 202 once it is published).
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Place an order: recorded, then published on `orders`; the verdict follows on GET /orders/{id}',
    description:
      'Nothing is written unless it answers 202. A retry with the same Idempotency-Key and body answers 202 with the same order id.',
  })
  @ApiJsonBody(PlaceOrderRequestModel, 'the OrderPlaced payload with orderId, shippingAddress and placedAt optional')
  @ApiRequestHeader('Idempotency-Key', idempotencyKeySchema, 'makes retries safe: the same key with the same body places the order once')
  @ApiRequestHeader('traceparent', z.string(), 'W3C trace context: the OrderPlaced record continues this trace (a new one otherwise)')
  @ApiRequestHeader('tracestate', z.string(), 'W3C trace context, with traceparent')
  @ApiJsonResponse(202, 'placed (or placed earlier with this Idempotency-Key and body)', OrderAcceptedModel)
  @ApiErrorResponse(400, 'the body (or not valid JSON) or the Idempotency-Key is refused, with every reason; nothing written')
  @ApiErrorResponse(409, 'an order with this orderId has already been placed', OrderAlreadyPlacedModel)
  @ApiErrorResponse(413, 'the body is larger than 100 KB')
  @ApiErrorResponse(415, 'a body of a media type the service does not read (send application/json)')
  @ApiErrorResponse(422, 'the Idempotency-Key was used for another body', IdempotencyKeyReusedModel)
  @ApiJsonResponse(503, 'the broker did not take it: the order is recorded and published once the broker is back', OrderNotPublishedModel)
  async place(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers() headers: HeaderCarrier,
  ): Promise<OrderAccepted> {
    // Continues the caller's trace (W3C traceparent header) or starts one; the OrderPlaced record carries it.
    const trace = startSpan('POST /orders', headers, SpanKind.SERVER);
    let outcome;
    try {
      outcome = await this.placeOrder.place(body, idempotencyKey, { headers: trace.headers, traceId: trace.traceId });
    } catch (error) {
      if (error instanceof PublishFailedError) {
        throw new ServiceUnavailableException({
          error: 'order not published',
          orderId: error.orderId,
          message: 'the order is recorded and will be published when the broker is back; retry with the same Idempotency-Key to be sure',
        });
      }
      throw error;
    } finally {
      trace.span.end();
    }
    switch (outcome.kind) {
      case 'invalid':
        throw apiError(400, 'invalid order', { reasons: outcome.reasons });
      case 'duplicate-order':
        throw apiError(409, `order "${outcome.orderId}" has already been placed`, { orderId: outcome.orderId });
      case 'key-reused':
        throw apiError(422, `Idempotency-Key "${outcome.idempotencyKey}" was used for another request body (order "${outcome.orderId}")`, {
          orderId: outcome.orderId,
        });
      case 'accepted':
        return { orderId: outcome.orderId, status: 'placed', links: { self: orderLink(outcome.orderId) } };
    }
  }

  /** GET /orders/:id?waitMs= → the order (placed / validated / rejected + reasons); 404 unknown. */
  @Get(':id')
  @ApiOperation({ summary: 'An order and its verdict; waitMs waits up to that long for the verdict' })
  @ApiPathParam('id', idSchema, 'the order id')
  @ApiQueryParam('waitMs', waitMsSchema, 'while the order has no verdict, wait up to this long for it (long polling)')
  @ApiJsonResponse(200, 'the order: placed, validated or rejected (with the reasons)', OrderStatusModel)
  @ApiErrorResponse(400, 'a bad id or waitMs (every problem listed)')
  @ApiErrorResponse(404, 'no such order has been placed (answered at once, whatever waitMs)')
  async get(@Param('id') id: string, @Query('waitMs') waitMsParam: unknown): Promise<OrderStatusView> {
    const problems: string[] = [];
    if (!idSchema.safeParse(id).success) problems.push(`"${id}" is not an order id (letters, digits, "_" and "-", at most 64)`);
    const wait = parseWaitMs(waitMsParam);
    if (!wait.ok) problems.push(wait.reason);
    if (problems.length > 0 || !wait.ok) throw apiError(400, 'invalid request', { reasons: problems });

    const now = await this.orders.findStatus(id);
    if (!now) throw apiError(404, `order "${id}" has not been placed`);
    if (hasVerdict(now) || wait.waitMs === 0) return now;
    return (await this.waiter.waitForVerdict(id, wait.waitMs)) ?? (await this.orders.findStatus(id)) ?? now;
  }
}
