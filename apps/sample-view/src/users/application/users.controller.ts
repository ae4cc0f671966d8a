import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { idSchema } from '@shop/contracts';
import { UsersRepository } from '../infra/users.repository';
import { ApiErrorResponse, ApiJsonResponse, ApiPageQuery, ApiPathParam, parsePageQuery } from '@shop/nest-platform';
import type { User, UserPage } from '../domain/user';
import { UserModel, UserPageModel } from './users.api';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersRepository) {}

  /** GET /users?limit=&offset= → { total, limit, offset, items } ordered by id. */
  @Get()
  @ApiOperation({ summary: 'List the users of the view, ordered by id' })
  @ApiPageQuery()
  @ApiJsonResponse(200, 'one page of users', UserPageModel)
  @ApiErrorResponse(400, 'a bad limit or offset (every problem listed)')
  async list(@Query() query: Record<string, unknown>): Promise<UserPage> {
    const parsed = parsePageQuery(query);
    if (!parsed.ok) throw new BadRequestException(parsed.problems);
    return this.users.page(parsed.page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user of the view' })
  @ApiPathParam('id', idSchema, 'the user id')
  @ApiJsonResponse(200, 'the latest state the users topic holds for the id', UserModel)
  @ApiErrorResponse(400, 'not a user id')
  @ApiErrorResponse(404, 'not in the view (never created, deleted, or not consumed yet)')
  async get(@Param('id') id: string): Promise<User> {
    if (!idSchema.safeParse(id).success) {
      throw new BadRequestException(`"${id}" is not a user id (letters, digits, "_" and "-", at most 64)`);
    }
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`user "${id}" is not in the users view (never created, deleted, or not consumed yet)`);
    return user;
  }
}
