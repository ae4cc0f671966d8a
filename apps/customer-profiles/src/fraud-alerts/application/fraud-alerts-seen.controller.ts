import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Topics } from '@shop/contracts';
import { ApiJsonResponse } from '@shop/nest-platform';
import { seenSummaryOf, type SeenSummary } from '../domain/fraud-alerts-seen';
import { FraudAlertsSeenRepository } from '../infra/fraud-alerts-seen.repository';
import { FraudAlertsSeenSummaryModel } from './fraud-alerts-seen.api';

@Controller('fraud-alerts')
export class FraudAlertsSeenController {
  constructor(private readonly seen: FraudAlertsSeenRepository) {}

  /** GET /fraud-alerts/seen → how many events of the topic the view holds, by type. */
  @Get('seen')
  @ApiOperation({ summary: 'The events of fraud-alerts the view holds, by type' })
  @ApiJsonResponse(200, 'the counts', FraudAlertsSeenSummaryModel)
  async summary(): Promise<SeenSummary> {
    return seenSummaryOf(Topics.fraudAlerts.name, await this.seen.countsByType());
  }
}
