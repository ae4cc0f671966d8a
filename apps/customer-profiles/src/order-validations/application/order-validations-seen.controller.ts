import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Topics } from '@shop/contracts';
import { ApiJsonResponse } from '@shop/nest-platform';
import { seenSummaryOf, type SeenSummary } from '../domain/order-validations-seen';
import { OrderValidationsSeenRepository } from '../infra/order-validations-seen.repository';
import { OrderValidationsSeenSummaryModel } from './order-validations-seen.api';

@Controller('order-validations')
export class OrderValidationsSeenController {
  constructor(private readonly seen: OrderValidationsSeenRepository) {}

  /** GET /order-validations/seen → how many events of the topic the view holds, by type. */
  @Get('seen')
  @ApiOperation({ summary: 'The events of order-validations the view holds, by type' })
  @ApiJsonResponse(200, 'the counts', OrderValidationsSeenSummaryModel)
  async summary(): Promise<SeenSummary> {
    return seenSummaryOf(Topics.orderValidations.name, await this.seen.countsByType());
  }
}
