import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { idSchema } from '@shop/contracts';
import { ApiErrorResponse, ApiJsonResponse, ApiPageQuery, ApiPathParam, ApiQueryParam } from '@shop/nest-platform';
import type { Alert, AlertPage } from '../domain/alert';
import { DEFAULT_ALERT_LIMIT, MAX_ALERT_LIMIT, alertReferenceSchema, isAlertReference, parseAlertQuery } from './alert-query';
import { AlertsRepository } from '../infra/alerts.repository';
import { fraudRuleSchema } from '@shop/contracts';
import { AlertModel, AlertPageModel } from './alerts.api';

@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsRepository) {}

  /** GET /alerts?userId=&rule=&limit=&offset= → { total, limit, offset, items } newest first. */
  @Get()
  @ApiOperation({ summary: 'List the fraud alerts, newest first' })
  @ApiQueryParam('userId', idSchema, "only this user's alerts")
  @ApiQueryParam('rule', fraudRuleSchema, 'only the alerts of this rule')
  @ApiPageQuery({ defaultLimit: DEFAULT_ALERT_LIMIT, maxLimit: MAX_ALERT_LIMIT })
  @ApiJsonResponse(200, 'one page of alerts', AlertPageModel)
  @ApiErrorResponse(400, 'a bad filter, limit or offset, or one given twice (every problem listed)')
  async list(@Query() query: Record<string, unknown>): Promise<AlertPage> {
    const parsed = parseAlertQuery(query);
    if (!parsed.ok) throw new BadRequestException(parsed.problems);
    return this.alerts.page(parsed.query);
  }

  /** GET /alerts/:alertId — the alertId or the readable id (`<userId>:velocity:<windowStart ISO>`). */
  @Get(':alertId')
  @ApiOperation({ summary: 'One fraud alert, by its alertId or its readable id' })
  @ApiPathParam('alertId', alertReferenceSchema, 'the alertId, or the readable id `<userId>:velocity:<windowStart ISO>`')
  @ApiJsonResponse(200, 'the alert', AlertModel)
  @ApiErrorResponse(400, 'not an alert id')
  @ApiErrorResponse(404, 'no such alert was raised (or it is not processed yet)')
  async get(@Param('alertId') alertId: string): Promise<Alert> {
    if (!isAlertReference(alertId)) {
      throw new BadRequestException(`"${alertId}" is not an alert id (letters, digits, "_", "-", ":" and ".", at most 200)`);
    }
    const alert = await this.alerts.find(alertId);
    if (!alert) throw new NotFoundException(`alert "${alertId}" was not raised (or not processed yet)`);
    return alert;
  }
}
