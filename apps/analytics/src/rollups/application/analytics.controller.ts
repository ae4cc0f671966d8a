import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { AnalyticsRepository } from '../infra/analytics.repository';
import type { TotalsReport, WindowsReport } from '../domain/reports';
import { parseWindowQuery } from '../domain/window-query';

@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsRepository) {}

  /** GET /analytics/totals → validated/rejected orders, revenue, shipments, fraud alerts by rule. */
  @Get('totals')
  totals(): Promise<TotalsReport> {
    return this.analytics.totals();
  }

  /**
   * GET /analytics/windows?size=1m|1h|total&dimension=region|product|category&from=&to= → the roll-ups of
   * validated orders, window by window (event time). 400 with every reason on a bad query.
   */
  @Get('windows')
  async windows(@Query() query: Record<string, unknown>): Promise<WindowsReport> {
    const parsed = parseWindowQuery(query);
    if (!parsed.ok) throw new BadRequestException({ statusCode: 400, error: 'invalid query', reasons: parsed.problems });
    return this.analytics.windows(parsed.query);
  }
}
