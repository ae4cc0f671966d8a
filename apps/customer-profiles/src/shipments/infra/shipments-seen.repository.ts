import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { SeenCount } from '../domain/shipments-seen';
import { SHIPMENTS_SEEN_TABLE } from './shipments.processor';

/** Reads the seen table (written only by the processor). */
@Injectable()
export class ShipmentsSeenRepository {
  constructor(private readonly prisma: PrismaService) {}

  countsByType(): Promise<SeenCount[]> {
    return this.prisma.$queryRawUnsafe<SeenCount[]>(
      `SELECT event_type AS type, count(*)::int AS count FROM ${SHIPMENTS_SEEN_TABLE} GROUP BY event_type`,
    );
  }
}
