import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { idSchema } from '@shop/contracts';
import {
  ApiErrorResponse,
  ApiJsonBody,
  ApiJsonResponse,
  ApiOtherResponse,
  ApiPageQuery,
  ApiPathParam,
  apiError,
} from '@shop/nest-platform';
import type { User, UserPage } from '../domain/user';
import { CreateUserModel, UserModel, UserPageModel, UserPatchModel } from './users.api';
import { UsersService, type Outcome } from './users.service';

/** Maps a use case's outcome to HTTP: 400 with every reason, 404, 409; nothing was written on any of them. */
function unwrap<T>(outcome: Outcome<T>): T {
  switch (outcome.kind) {
    case 'ok':
      return outcome.value;
    case 'invalid':
      throw apiError(400, 'invalid user', { reasons: outcome.reasons });
    case 'not-found':
      throw apiError(404, `user "${outcome.id}" does not exist`);
    case 'conflict':
      throw apiError(409, `another user already has this ${outcome.fields.join(' and ')}`, {
        reasons: outcome.fields.map((field) => `${field}: another user already has this ${field}`),
      });
  }
}

const BAD_ID = 'not a user id';
const TOO_LARGE = 'the body is larger than 100 KB';
const MEDIA_TYPE = 'a body of a media type the service does not read (send application/json)';
const UNIQUE = 'another user already has this email (or id)';
const USER_ID = 'the user id';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** POST /users → 201 with the user; 400 / 409. */
  @Post()
  @ApiOperation({ summary: 'Create a user (id, status and the address fields optional)' })
  @ApiJsonBody(CreateUserModel, 'the new user; unknown fields are refused')
  @ApiJsonResponse(201, 'the user, as stored (and as CDC publishes it on `users`)', UserModel)
  @ApiErrorResponse(400, 'the body (or not valid JSON) is refused, with every reason')
  @ApiErrorResponse(409, UNIQUE)
  @ApiErrorResponse(413, TOO_LARGE)
  @ApiErrorResponse(415, MEDIA_TYPE)
  async create(@Body() body: unknown): Promise<User> {
    return unwrap(await this.users.create(body));
  }

  /** GET /users?limit=&offset= → { total, limit, offset, items } in creation order. */
  @Get()
  @ApiOperation({ summary: 'List the users in creation order' })
  @ApiPageQuery()
  @ApiJsonResponse(200, 'one page of users', UserPageModel)
  @ApiErrorResponse(400, 'a bad limit or offset (every problem listed)')
  async list(@Query() query: Record<string, unknown>): Promise<UserPage> {
    return unwrap(await this.users.list(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiPathParam('id', idSchema, USER_ID)
  @ApiJsonResponse(200, 'the user', UserModel)
  @ApiErrorResponse(400, BAD_ID)
  @ApiErrorResponse(404, 'no such user')
  async get(@Param('id') id: string): Promise<User> {
    return unwrap(await this.users.get(id));
  }

  /** PATCH /users/:id → 200 with the user (partial update); 400 / 404 / 409. */
  @Patch(':id')
  @ApiOperation({ summary: 'Change some fields of a user (merge patch: null clears an address field)' })
  @ApiPathParam('id', idSchema, USER_ID)
  @ApiJsonBody(UserPatchModel, 'the fields to change, at least one; unknown fields are refused')
  @ApiJsonResponse(200, 'the user after the change (as it was if nothing changed)', UserModel)
  @ApiErrorResponse(400, 'a bad id or body (or not valid JSON), with every reason')
  @ApiErrorResponse(404, 'no such user')
  @ApiErrorResponse(409, UNIQUE)
  @ApiErrorResponse(413, TOO_LARGE)
  @ApiErrorResponse(415, MEDIA_TYPE)
  async update(@Param('id') id: string, @Body() body: unknown): Promise<User> {
    return unwrap(await this.users.update(id, body));
  }

  /** DELETE /users/:id → 204; 404. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user (CDC publishes a tombstone on `users`)' })
  @ApiPathParam('id', idSchema, USER_ID)
  @ApiOtherResponse(204, 'deleted')
  @ApiErrorResponse(400, BAD_ID)
  @ApiErrorResponse(404, 'no such user')
  async delete(@Param('id') id: string): Promise<void> {
    unwrap(await this.users.delete(id));
  }
}
