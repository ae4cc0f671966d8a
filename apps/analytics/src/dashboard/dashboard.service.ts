import { Inject, Injectable } from '@nestjs/common';
import { Materializers, PLATFORM_OPTIONS, type PlatformOptions } from '@shop/nest-platform';
import { PrismaService } from '../database/prisma.service';
import { AnalyticsRepository } from '../rollups/infra/analytics.repository';
import { chartFrom, ordersPerMinute, rankedByRevenue, viewFreshness, type DashboardSnapshot } from './dashboard.snapshot';
import { ServicesWatcher } from './services.watcher';

/** Builds the dashboard's snapshot from the same reads as GET /analytics/totals, /analytics/windows and /health. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly analytics: AnalyticsRepository,
    private readonly prisma: PrismaService,
    private readonly materializers: Materializers,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
    private readonly watcher: ServicesWatcher,
  ) {}

  async snapshot(): Promise<DashboardSnapshot> {
    const [totals, perMinute, byRegion, byCategory, views] = await Promise.all([
      this.analytics.totals(),
      this.lastMinutes(),
      this.analytics.windows({ size: 'total', dimension: 'region', from: null, to: null }),
      this.analytics.windows({ size: 'total', dimension: 'category', from: null, to: null }),
      this.materializers.viewChecks(this.options.healthMaxLag),
    ]);
    return {
      at: new Date().toISOString(),
      totals,
      ordersPerMinute: perMinute,
      revenueByRegion: rankedByRevenue(byRegion.windows[0]?.values ?? []),
      revenueByCategory: rankedByRevenue(byCategory.windows[0]?.values ?? []),
      views: viewFreshness(views),
      services: this.watcher
        .current()
        .map(({ name, state, lag, restarts, uptimeSeconds }) => ({ name, state, lag, restarts, uptimeSeconds })),
    };
  }

  /**
   * The chart's windows: the latest one-minute window present (event time) up to now, and the ones before
   * it. Orders placed in the future (a scenario's shifted clock) are not what "orders per minute" means
   * live; only when every window lies in the future does the chart show the latest ones there.
   */
  private async lastMinutes() {
    const where = { windowSize: '1m', dimension: 'region' } as const;
    const upToNow = await this.prisma.rollup.aggregate({
      where: { ...where, windowStart: { lte: new Date() } },
      _max: { windowStart: true },
    });
    const latest =
      upToNow._max.windowStart ?? (await this.prisma.rollup.aggregate({ where, _max: { windowStart: true } }))._max.windowStart;
    const from = chartFrom(latest);
    if (!from || !latest) return [];
    const to = new Date(latest.getTime() + 60_000);
    const report = await this.analytics.windows({ size: '1m', dimension: 'region', from, to });
    return ordersPerMinute(report.windows);
  }
}
