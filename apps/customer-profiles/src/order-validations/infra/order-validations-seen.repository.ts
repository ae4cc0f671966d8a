import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { SeenCount } from '../domain/order-validations-seen';
import { ORDER_VALIDATIONS_SEEN_TABLE } from './order-validations.processor';

/** Reads the seen table (written only by the processor). */
@Injectable()
export class OrderValidationsSeenRepository {
  constructor(private readonly prisma: PrismaService) {}

  countsByType(): Promise<SeenCount[]> {
    return this.prisma.$queryRawUnsafe<SeenCount[]>(
      `SELECT event_type AS type, count(*)::int AS count FROM ${ORDER_VALIDATIONS_SEEN_TABLE} GROUP BY event_type`,
    );
  }
}
