import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { withTimeout } from '@shop/nest-platform';
import { PrismaService } from '../database/prisma.service';

const CHECK_TIMEOUT_MS = 3000;

export interface Health {
  readonly status: 'ok' | 'down';
  readonly checks: { readonly database: { readonly status: 'up' | 'down'; readonly ms: number; readonly error?: string } };
}

/**
 * GET /health/live: the process answers. GET /health/ready (and GET /health): 200 when PostgreSQL answers
 * `SELECT 1` within 3 s, else 503 with the same body.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Get('live')
  live(): { status: 'live'; pid: number; uptimeSeconds: number } {
    return { status: 'live', pid: process.pid, uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  ready(): Promise<Health> {
    return this.health();
  }

  @Get()
  async health(): Promise<Health> {
    const started = Date.now();
    try {
      await withTimeout(this.prisma.$queryRaw`SELECT 1`, CHECK_TIMEOUT_MS, 'PostgreSQL');
      return { status: 'ok', checks: { database: { status: 'up', ms: Date.now() - started } } };
    } catch (error) {
      const body: Health = { status: 'down', checks: { database: { status: 'down', ms: Date.now() - started, error: (error as Error).message } } };
      throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    }
  }
}
