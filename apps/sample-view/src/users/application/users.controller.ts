import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { idSchema } from '@shop/contracts';
import { UsersRepository } from '../infra/users.repository';
import { parsePageQuery } from '@shop/nest-platform';
import type { User, UserPage } from '../domain/user';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersRepository) {}

  /** GET /users?limit=&offset= → { total, limit, offset, items } ordered by id. */
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<UserPage> {
    const parsed = parsePageQuery(query);
    if (!parsed.ok) throw new BadRequestException(parsed.problems);
    return this.users.page(parsed.page);
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<User> {
    if (!idSchema.safeParse(id).success) {
      throw new BadRequestException(`"${id}" is not a user id (letters, digits, "_" and "-", at most 64)`);
    }
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`user "${id}" is not in the users view (never created, deleted, or not consumed yet)`);
    return user;
  }
}
