import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import { TOTAL_WINDOW_START } from '../domain/rollups';
import { totalsReport, windowsReport, type TotalsReport, type WindowsReport } from '../domain/reports';
import type { WindowQuery } from '../domain/window-query';
import { SHIPMENTS_METRIC } from './shipments.counter';

/** Reads the roll-ups and counters (written only by the views) through the generated Prisma client. */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async windows(query: WindowQuery): Promise<WindowsReport> {
    const rows = await this.prisma.rollup.findMany({
      where: {
        windowSize: query.size,
        dimension: query.dimension,
        windowStart:
          query.size === 'total'
            ? TOTAL_WINDOW_START
            : { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) },
      },
      orderBy: [{ windowStart: 'asc' }, { dimensionValue: 'asc' }],
      select: { windowStart: true, dimensionValue: true, count: true, revenue: true },
    });
    return windowsReport(query.size, query.dimension, query.from, query.to, rows);
  }

  /** Every counter from one snapshot (the views keep writing underneath). */
  async totals(): Promise<TotalsReport> {
    const [verdicts, shipments, alerts] = await this.prisma.$transaction(
      [
        this.prisma.verdictTotal.findMany(),
        this.prisma.shipmentTotal.findUnique({ where: { metric: SHIPMENTS_METRIC } }),
        this.prisma.alertTotal.findMany(),
      ],
      { isolationLevel: 'RepeatableRead' },
    );
    return totalsReport({ verdicts, shipments: shipments?.count ?? 0n, alerts });
  }
}
