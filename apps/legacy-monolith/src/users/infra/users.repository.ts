import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import { Prisma, type User as UserRow } from '../../generated/prisma/client';
import type { User } from '../domain/user';
import type { PageQuery } from '@shop/nest-platform';

/** Which unique column a write collided with. */
export type UniqueField = 'id' | 'email';

export class UniqueViolation extends Error {
  constructor(readonly fields: UniqueField[]) {
    super(`unique constraint on ${fields.join(', ')}`);
    this.name = 'UniqueViolation';
  }
}

type Tx = Prisma.TransactionClient;

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  status: row.status,
  country: row.country,
  region: row.region,
  address_line1: row.addressLine1,
  city: row.city,
  postal_code: row.postalCode,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const toRow = (user: User) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  status: user.status,
  country: user.country,
  region: user.region,
  addressLine1: user.address_line1,
  city: user.city,
  postalCode: user.postal_code,
  createdAt: new Date(user.created_at),
  updatedAt: new Date(user.updated_at),
});

/** Unique constraints of the users table (prisma/migrations) → the field a client can act on. */
const CONSTRAINTS: Readonly<Record<string, UniqueField>> = { users_pkey: 'id', users_email_key: 'email' };

/**
 * The field a P2002 collided on. With the pg driver adapter, Prisma 7 names the constraint in
 * meta.driverAdapterError.cause.constraint.index (`users_email_key`); meta.target (the native engine's) also works.
 */
function uniqueFields(error: Prisma.PrismaClientKnownRequestError): UniqueField[] {
  const meta = (error.meta ?? {}) as {
    target?: unknown;
    driverAdapterError?: { cause?: { constraint?: { index?: unknown; fields?: unknown } } };
  };
  const constraint = meta.driverAdapterError?.cause?.constraint;
  const names = [constraint?.index, constraint?.fields, meta.target].flat().filter((n): n is string => typeof n === 'string');
  const fields = [
    ...new Set(
      names.map((n) => CONSTRAINTS[n] ?? (n === 'id' || n === 'email' ? n : undefined)).filter((f): f is UniqueField => f !== undefined),
    ),
  ];
  return fields.length > 0 ? fields : ['id', 'email'];
}

function rethrowUnique(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new UniqueViolation(uniqueFields(error));
  throw error;
}

/** The `users` table through the generated Prisma client. No rules here: they are in ../domain. */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(user: User): Promise<User> {
    try {
      return toUser(await this.prisma.user.create({ data: toRow(user) }));
    } catch (error) {
      rethrowUnique(error);
    }
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.prisma.user.findUnique({ where: { id } });
    return row ? toUser(row) : null;
  }

  /** Ordered by creation (then id): stable while users are added, since created_at never changes. */
  async page(page: PageQuery): Promise<{ total: number; items: User[] }> {
    const [total, rows] = await this.prisma.$transaction([
      this.prisma.user.count(),
      this.prisma.user.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
    ]);
    return { total, items: rows.map(toUser) };
  }

  /**
   * Read-modify-write of one user in a transaction holding the row lock (SELECT … FOR UPDATE), so concurrent
   * updates of the same user are applied one after the other, none lost. `change` returns the row to write,
   * or null to write nothing. Resolves null when there is no such user.
   */
  async update(id: string, change: (current: User) => User | null): Promise<{ user: User; written: boolean } | null> {
    try {
      return await this.prisma.$transaction(async (tx: Tx) => {
        const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${id} FOR UPDATE`;
        if (locked.length === 0) return null;
        const row = await tx.user.findUniqueOrThrow({ where: { id } });
        const current = toUser(row);
        const next = change(current);
        if (next === null) return { user: current, written: false };
        const { id: _id, createdAt: _createdAt, ...data } = toRow(next);
        return { user: toUser(await tx.user.update({ where: { id }, data })), written: true };
      });
    } catch (error) {
      rethrowUnique(error);
    }
  }

  /** true when a user was deleted. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.user.deleteMany({ where: { id } });
    return count > 0;
  }
}
