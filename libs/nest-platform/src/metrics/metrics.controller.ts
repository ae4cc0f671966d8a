import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Registry } from 'prom-client';
import { ApiOtherResponse } from '../openapi/api-schema';
import { METRICS_REGISTRY } from './http-metrics.hook';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** GET /metrics: the service's registry in Prometheus' text exposition format. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Prometheus metrics (views' events, lag and freshness, HTTP durations, process)" })
  @ApiOtherResponse(200, "the service's registry in Prometheus' text exposition format 0.0.4", {
    type: CONTENT_TYPE,
    schema: { type: 'string' },
  })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
