import { Injectable } from '@nestjs/common';
import type { UserView } from '../../generated/prisma/client';
import { PrismaService } from '../../database/prisma.service';
import type { PageQuery } from '@shop/nest-platform';
import type { User, UserPage } from '../domain/user';

function toUser(row: UserView): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    country: row.country,
    region: row.region,
    address: { line1: row.addressLine1, city: row.city, postalCode: row.postalCode },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Reads the users view (written only by the materializer) through the generated Prisma client. */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One page ordered by id, and the total, from one snapshot (the view keeps changing underneath). */
  async page(query: PageQuery): Promise<UserPage> {
    const [total, rows] = await this.prisma.$transaction(
      [this.prisma.userView.count(), this.prisma.userView.findMany({ orderBy: { id: 'asc' }, skip: query.offset, take: query.limit })],
      { isolationLevel: 'RepeatableRead' },
    );
    return { total, limit: query.limit, offset: query.offset, items: rows.map(toUser) };
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.prisma.userView.findUnique({ where: { id } });
    return row ? toUser(row) : undefined;
  }
}
