import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { idSchema } from '@shop/contracts';
import { SpanKind, startSpan, type HeaderCarrier } from '@shop/kafka';
import { orderLink, hasVerdict, type OrderStatusView } from '../domain/order-status';
import { parseWaitMs } from '../domain/wait-query';
import { OrdersRepository } from '../infra/orders.repository';
import { PublishFailedError } from './order-intake';
import { PlaceOrderService } from './place-order.service';
import { VerdictWaiter } from './verdict.waiter';

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
   * POST /orders → 202 { orderId, status: 'placed', links }; 400 { error: 'invalid order', reasons } (nothing
   * written); 409 order id already placed; 422 Idempotency-Key reused with another body; 503 broker down
   * (the order is recorded and the outbox relay publishes it once the broker is back; a retry with the same
   * Idempotency-Key answers 202 once it is published).
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
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
        throw new BadRequestException({ error: 'invalid order', reasons: outcome.reasons });
      case 'duplicate-order':
        throw new ConflictException({
          error: 'order already placed',
          orderId: outcome.orderId,
          message: `order "${outcome.orderId}" has already been placed`,
        });
      case 'key-reused':
        throw new UnprocessableEntityException({
          error: 'idempotency key reused',
          orderId: outcome.orderId,
          message: `Idempotency-Key "${outcome.idempotencyKey}" was used for another request body (order "${outcome.orderId}")`,
        });
      case 'accepted':
        return { orderId: outcome.orderId, status: 'placed', links: { self: orderLink(outcome.orderId) } };
    }
  }

  /** GET /orders/:id?waitMs= → the order (placed / validated / rejected + reasons); 404 unknown. */
  @Get(':id')
  async get(@Param('id') id: string, @Query('waitMs') waitMsParam: unknown): Promise<OrderStatusView> {
    const problems: string[] = [];
    if (!idSchema.safeParse(id).success) problems.push(`"${id}" is not an order id (letters, digits, "_" and "-", at most 64)`);
    const wait = parseWaitMs(waitMsParam);
    if (!wait.ok) problems.push(wait.reason);
    if (problems.length > 0 || !wait.ok) throw new BadRequestException({ error: 'invalid request', reasons: problems });

    const now = await this.orders.findStatus(id);
    if (!now) throw new NotFoundException({ error: 'unknown order', message: `order "${id}" has not been placed` });
    if (hasVerdict(now) || wait.waitMs === 0) return now;
    return (await this.waiter.waitForVerdict(id, wait.waitMs)) ?? (await this.orders.findStatus(id)) ?? now;
  }
}
