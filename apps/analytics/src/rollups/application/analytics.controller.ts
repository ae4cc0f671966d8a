import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { timestampSchema } from '@shop/contracts';
import { ApiErrorResponse, ApiJsonResponse, ApiQueryParam, apiError } from '@shop/nest-platform';
import { AnalyticsRepository } from '../infra/analytics.repository';
import type { TotalsReport, WindowsReport } from '../domain/reports';
import { parseWindowQuery } from '../domain/window-query';
import { TotalsReportModel, WindowsReportModel, dimensionSchema, windowSizeSchema } from './analytics.api';

@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsRepository) {}

  /** GET /analytics/totals → validated/rejected orders, revenue, shipments, fraud alerts by rule. */
  @Get('totals')
  @ApiOperation({ summary: 'Running totals: validated and rejected orders, revenue, shipments, fraud alerts by rule' })
  @ApiJsonResponse(200, 'the totals', TotalsReportModel)
  totals(): Promise<TotalsReport> {
    return this.analytics.totals();
  }

  /**
   * GET /analytics/windows?size=1m|1h|total&dimension=region|product|category&from=&to= → the roll-ups of
   * validated orders, window by window (event time). 400 with every reason on a bad query.
   */
  @Get('windows')
  @ApiOperation({ summary: 'Roll-ups of the validated orders, window by window (event time)' })
  @ApiQueryParam('size', windowSizeSchema, 'one-minute windows, one-hour windows, or the running totals', { required: true })
  @ApiQueryParam('dimension', dimensionSchema, 'what the values are grouped by', { required: true })
  @ApiQueryParam(
    'from',
    timestampSchema,
    'windows starting at or after this instant (with a zone, e.g. 2026-11-25T10:00:00Z); not with size=total',
  )
  @ApiQueryParam('to', timestampSchema, 'windows starting before this instant; not with size=total')
  @ApiJsonResponse(200, 'the windows', WindowsReportModel)
  @ApiErrorResponse(400, 'a bad query (every problem listed)')
  async windows(@Query() query: Record<string, unknown>): Promise<WindowsReport> {
    const parsed = parseWindowQuery(query);
    if (!parsed.ok) throw apiError(400, 'invalid query', { reasons: parsed.problems });
    return this.analytics.windows(parsed.query);
  }
}
