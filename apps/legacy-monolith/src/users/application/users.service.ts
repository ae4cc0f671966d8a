import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { parsePageQuery } from '@shop/nest-platform';
import type { User, UserPage } from '../domain/user';
import { isUserId, newUser, parseCreateUser, parseUserPatch } from '../domain/user-input';
import { mergeUpdate } from '../domain/user-update';
import { UniqueViolation, UsersRepository, type UniqueField } from '../infra/users.repository';

export type Outcome<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'invalid'; readonly reasons: string[] }
  | { readonly kind: 'not-found'; readonly id: string }
  | { readonly kind: 'conflict'; readonly fields: UniqueField[] };

const invalidId = (id: string): { readonly kind: 'invalid'; readonly reasons: string[] } => ({
  kind: 'invalid',
  reasons: [`id: "${id}" is not a user id (letters, digits, "_" and "-", at most 64)`],
});

/** The use cases of the users API: validate (pure domain), then one repository call. */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async create(body: unknown): Promise<Outcome<User>> {
    const parsed = parseCreateUser(body);
    if (!parsed.ok) return { kind: 'invalid', reasons: parsed.reasons };
    const user = newUser(parsed.value, { newId: randomUUID, now: new Date() });
    return this.guardConflict(async () => ({ kind: 'ok', value: await this.users.insert(user) }));
  }

  async get(id: string): Promise<Outcome<User>> {
    if (!isUserId(id)) return invalidId(id);
    const user = await this.users.findById(id);
    return user ? { kind: 'ok', value: user } : { kind: 'not-found', id };
  }

  async list(query: Readonly<Record<string, unknown>>): Promise<Outcome<UserPage>> {
    const parsed = parsePageQuery(query);
    if (!parsed.ok) return { kind: 'invalid', reasons: parsed.problems };
    const { total, items } = await this.users.page(parsed.page);
    return { kind: 'ok', value: { total, limit: parsed.page.limit, offset: parsed.page.offset, items } };
  }

  async update(id: string, body: unknown): Promise<Outcome<User>> {
    if (!isUserId(id)) return invalidId(id);
    const parsed = parseUserPatch(body);
    if (!parsed.ok) return { kind: 'invalid', reasons: parsed.reasons };
    return this.guardConflict(async () => {
      const result = await this.users.update(id, (current) => {
        const merged = mergeUpdate(current, parsed.value, new Date());
        return merged.changed ? merged.user : null;
      });
      return result ? { kind: 'ok', value: result.user } : { kind: 'not-found', id };
    });
  }

  async delete(id: string): Promise<Outcome<null>> {
    if (!isUserId(id)) return invalidId(id);
    return (await this.users.delete(id)) ? { kind: 'ok', value: null } : { kind: 'not-found', id };
  }

  private async guardConflict<T>(work: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueViolation) return { kind: 'conflict', fields: error.fields };
      throw error;
    }
  }
}
