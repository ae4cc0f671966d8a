import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { PgDatabase } from '@shop/db';
import { ApiOperation } from '@nestjs/swagger';
import type { Admin } from '@shop/kafka';
import { Materializers } from '../platform/materializers';
import { KAFKA_ADMIN, PLATFORM_OPTIONS, type PlatformDatabase, type PlatformOptions } from '../platform/platform.tokens';
import { withTimeout } from '../platform/with-timeout';
import { ApiJsonResponse } from '../openapi/api-schema';
import { HealthReportModel, LiveReportModel } from './health.api';
import { healthReport, type HealthReport, type Probe } from './health.report';

const CHECK_TIMEOUT_MS = 3000;
const READY = 'ready: Kafka and the database answer, every view trails its topic by at most HEALTH_MAX_LAG';
const NOT_READY = 'not ready (the same body, status "unavailable"): what is down, starting, rebuilding or behind';

async function probe(what: string, work: () => PromiseLike<unknown>): Promise<Probe> {
  const started = Date.now();
  try {
    await withTimeout(work(), CHECK_TIMEOUT_MS, what);
    return { status: 'up', ms: Date.now() - started };
  } catch (error) {
    return { status: 'down', ms: Date.now() - started, error: (error as Error).message };
  }
}

export interface LiveReport {
  readonly status: 'live';
  readonly service: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly uptimeSeconds: number;
}

const STARTED_AT = new Date(Date.now() - Math.round(process.uptime() * 1000));

/**
 * GET /health/live: the process answers (for a supervisor's restart decision; never checks dependencies, so
 * an outage of the database or the broker does not get a healthy service restarted).
 * GET /health/ready (and GET /health): Kafka and the database answer and every view has joined its group and
 * trails its topic by at most HEALTH_MAX_LAG records; 503 with the same body otherwise.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(PgDatabase) private readonly db: PlatformDatabase,
    private readonly materializers: Materializers,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (never checks Kafka or the database)' })
  @ApiJsonResponse(200, 'the process is live', LiveReportModel)
  live(): LiveReport {
    return {
      status: 'live',
      service: this.options.service,
      pid: process.pid,
      startedAt: STARTED_AT.toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: Kafka and the database answer and every view is caught up' })
  @ApiJsonResponse(200, READY, HealthReportModel)
  @ApiJsonResponse(503, NOT_READY, HealthReportModel)
  ready(): Promise<HealthReport> {
    return this.check();
  }

  /** 200 when Kafka and the database answer and every view is caught up; 503 (same body) otherwise. */
  @Get()
  @ApiOperation({ summary: 'Readiness (the same as GET /health/ready)' })
  @ApiJsonResponse(200, READY, HealthReportModel)
  @ApiJsonResponse(503, NOT_READY, HealthReportModel)
  async check(): Promise<HealthReport> {
    const [kafka, database, views] = await Promise.all([
      probe('Kafka', () => this.admin.listTopics()),
      probe('PostgreSQL', () => this.db.$queryRawUnsafe('SELECT 1')),
      this.materializers.viewChecks(this.options.healthMaxLag, CHECK_TIMEOUT_MS),
    ]);
    const report = healthReport(kafka, database, views);
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }
}
