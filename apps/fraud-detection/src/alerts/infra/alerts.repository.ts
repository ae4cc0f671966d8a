import { Injectable } from '@nestjs/common';
import type { FraudAlert as FraudAlertRow, Prisma } from '../../generated/prisma/client';
import { PrismaService } from '../../database/prisma.service';
import type { FraudRule } from '@shop/contracts';
import type { EvidenceValue } from '../../fraud/domain/fraud-rules';
import type { Alert, AlertPage, AlertQuery } from '../domain/alert';

function toAlert(row: FraudAlertRow): Alert {
  return {
    alertId: row.alertId,
    eventId: row.eventId,
    rule: row.rule as FraudRule,
    userId: row.userId,
    orderId: row.orderId,
    evidence: row.evidence as Record<string, EvidenceValue>,
    raisedAt: row.raisedAt.toISOString(),
    causationId: row.causationId,
  };
}

/** Reads the alerts (written only by the verdicts processor) through the generated Prisma client. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One page, newest first, and the total, from one snapshot (the processor keeps writing underneath). */
  async page(query: AlertQuery): Promise<AlertPage> {
    const where: Prisma.FraudAlertWhereInput = {
      ...(query.userId !== undefined ? { userId: query.userId } : {}),
      ...(query.rule !== undefined ? { rule: query.rule } : {}),
    };
    const [total, rows] = await this.prisma.$transaction(
      [
        this.prisma.fraudAlert.count({ where }),
        this.prisma.fraudAlert.findMany({
          where,
          orderBy: [{ raisedAt: 'desc' }, { alertId: 'desc' }],
          skip: query.offset,
          take: query.limit,
        }),
      ],
      { isolationLevel: 'RepeatableRead' },
    );
    return { total, limit: query.limit, offset: query.offset, items: rows.map(toAlert) };
  }

  /** By alertId or by the readable event id. */
  async find(reference: string): Promise<Alert | undefined> {
    const row = await this.prisma.fraudAlert.findFirst({ where: { OR: [{ alertId: reference }, { eventId: reference }] } });
    return row ? toAlert(row) : undefined;
  }
}
