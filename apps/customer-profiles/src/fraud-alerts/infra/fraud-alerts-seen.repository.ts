import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { SeenCount } from '../domain/fraud-alerts-seen';
import { FRAUD_ALERTS_SEEN_TABLE } from './fraud-alerts.processor';

/** Reads the seen table (written only by the processor). */
@Injectable()
export class FraudAlertsSeenRepository {
  constructor(private readonly prisma: PrismaService) {}

  countsByType(): Promise<SeenCount[]> {
    return this.prisma.$queryRawUnsafe<SeenCount[]>(
      `SELECT event_type AS type, count(*)::int AS count FROM ${FRAUD_ALERTS_SEEN_TABLE} GROUP BY event_type`,
    );
  }
}
