import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiJsonResponse, apiModel, schemaFor, withTimeout } from '@shop/nest-platform';
import { z } from 'zod';
import { PrismaService } from '../database/prisma.service';

const CHECK_TIMEOUT_MS = 3000;

export interface Health {
  readonly status: 'ok' | 'down';
  readonly checks: { readonly database: { readonly status: 'up' | 'down'; readonly ms: number; readonly error?: string } };
}

type Live = { status: 'live'; pid: number; uptimeSeconds: number };

const count = z.number().int().nonnegative();
const HealthModel = apiModel(
  'Health',
  schemaFor<Health>()(
    z.object({
      status: z.enum(['ok', 'down']),
      checks: z.object({ database: z.object({ status: z.enum(['up', 'down']), ms: count, error: z.string().optional() }) }),
    }),
  ),
);
const LiveModel = apiModel(
  'Live',
  schemaFor<Live>()(z.object({ status: z.literal('live'), pid: z.number().int().positive(), uptimeSeconds: count })),
);
const READY = 'PostgreSQL answers';
const NOT_READY = 'PostgreSQL did not answer within 3 s (the same body, status "down")';

/**
 * GET /health/live: the process answers. GET /health/ready (and GET /health): 200 when PostgreSQL answers
 * `SELECT 1` within 3 s, else 503 with the same body.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiJsonResponse(200, 'the process is live', LiveModel)
  live(): Live {
    return { status: 'live', pid: process.pid, uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL answers' })
  @ApiJsonResponse(200, READY, HealthModel)
  @ApiJsonResponse(503, NOT_READY, HealthModel)
  ready(): Promise<Health> {
    return this.health();
  }

  @Get()
  @ApiOperation({ summary: 'Readiness (the same as GET /health/ready)' })
  @ApiJsonResponse(200, READY, HealthModel)
  @ApiJsonResponse(503, NOT_READY, HealthModel)
  async health(): Promise<Health> {
    const started = Date.now();
    try {
      await withTimeout(this.prisma.$queryRaw`SELECT 1`, CHECK_TIMEOUT_MS, 'PostgreSQL');
      return { status: 'ok', checks: { database: { status: 'up', ms: Date.now() - started } } };
    } catch (error) {
      const body: Health = {
        status: 'down',
        checks: { database: { status: 'down', ms: Date.now() - started, error: (error as Error).message } },
      };
      throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    }
  }
}
