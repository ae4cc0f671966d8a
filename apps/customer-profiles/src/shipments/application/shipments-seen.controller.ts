import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Topics } from '@shop/contracts';
import { ApiJsonResponse } from '@shop/nest-platform';
import { seenSummaryOf, type SeenSummary } from '../domain/shipments-seen';
import { ShipmentsSeenRepository } from '../infra/shipments-seen.repository';
import { ShipmentsSeenSummaryModel } from './shipments-seen.api';

@Controller('shipments')
export class ShipmentsSeenController {
  constructor(private readonly seen: ShipmentsSeenRepository) {}

  /** GET /shipments/seen → how many events of the topic the view holds, by type. */
  @Get('seen')
  @ApiOperation({ summary: 'The events of shipments the view holds, by type' })
  @ApiJsonResponse(200, 'the counts', ShipmentsSeenSummaryModel)
  async summary(): Promise<SeenSummary> {
    return seenSummaryOf(Topics.shipments.name, await this.seen.countsByType());
  }
}
