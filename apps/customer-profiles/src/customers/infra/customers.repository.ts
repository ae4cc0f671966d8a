import { Injectable } from '@nestjs/common';
import { fraudRuleSchema } from '@shop/contracts';
import { PrismaService } from '../../database/prisma.service';
import type { CustomerFacts } from '../domain/customer-profile';

/** Reads what the views hold of one user (written only by the users view and the three processors). */
@Injectable()
export class CustomersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One snapshot of the four tables: the views keep changing underneath. */
  async factsOf(userId: string): Promise<CustomerFacts> {
    const where = { where: { userId } };
    const [user, orders, shipments, alerts] = await this.prisma.$transaction(
      [
        this.prisma.userView.findUnique({ where: { id: userId } }),
        this.prisma.customerOrder.findMany(where),
        this.prisma.customerShipment.findMany(where),
        this.prisma.customerFraudAlert.findMany(where),
      ],
      { isolationLevel: 'RepeatableRead' },
    );
    return {
      userId,
      user: user ? { name: user.name, email: user.email, country: user.country } : undefined,
      orders: orders.map((o) => ({
        orderId: o.orderId,
        userId: o.userId,
        totalCents: Number(o.totalCents),
        currency: o.currency,
        validatedAt: o.validatedAt.toISOString(),
      })),
      shipments: shipments.map((s) => ({
        shipmentId: s.shipmentId,
        orderId: s.orderId,
        userId: s.userId,
        createdAt: s.createdAt.toISOString(),
      })),
      alerts: alerts.map((a) => ({
        alertId: a.alertId,
        orderId: a.orderId,
        userId: a.userId,
        // Written from schema-checked events only: parsing restores the vocabulary's type.
        rule: fraudRuleSchema.parse(a.rule),
        raisedAt: a.raisedAt.toISOString(),
      })),
    };
  }
}
