import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import type { Alert, AlertPage } from '../domain/alert';
import { isAlertReference, parseAlertQuery } from './alert-query';
import { AlertsRepository } from '../infra/alerts.repository';

@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsRepository) {}

  /** GET /alerts?userId=&rule=&limit=&offset= → { total, limit, offset, items } newest first. */
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<AlertPage> {
    const parsed = parseAlertQuery(query);
    if (!parsed.ok) throw new BadRequestException(parsed.problems);
    return this.alerts.page(parsed.query);
  }

  /** GET /alerts/:alertId — the alertId or the readable id (`<userId>:velocity:<windowStart ISO>`). */
  @Get(':alertId')
  async get(@Param('alertId') alertId: string): Promise<Alert> {
    if (!isAlertReference(alertId)) {
      throw new BadRequestException(`"${alertId}" is not an alert id (letters, digits, "_", "-", ":" and ".", at most 200)`);
    }
    const alert = await this.alerts.find(alertId);
    if (!alert) throw new NotFoundException(`alert "${alertId}" was not raised (or not processed yet)`);
    return alert;
  }
}
