import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import type { User, UserPage } from '../domain/user';
import { UsersService, type Outcome } from './users.service';

/** Maps a use case's outcome to HTTP: 400 with every reason, 404, 409; nothing was written on any of them. */
function unwrap<T>(outcome: Outcome<T>): T {
  switch (outcome.kind) {
    case 'ok':
      return outcome.value;
    case 'invalid':
      throw new BadRequestException({ error: 'invalid user', reasons: outcome.reasons });
    case 'not-found':
      throw new NotFoundException({ error: 'not found', reasons: [`user "${outcome.id}" does not exist`] });
    case 'conflict':
      throw new ConflictException({
        error: 'conflict',
        reasons: outcome.fields.map((field) => `${field}: another user already has this ${field}`),
      });
  }
}

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** POST /users → 201 with the user; 400 / 409. */
  @Post()
  async create(@Body() body: unknown): Promise<User> {
    return unwrap(await this.users.create(body));
  }

  /** GET /users?limit=&offset= → { total, limit, offset, items } in creation order. */
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<UserPage> {
    return unwrap(await this.users.list(query));
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<User> {
    return unwrap(await this.users.get(id));
  }

  /** PATCH /users/:id → 200 with the user (partial update); 400 / 404 / 409. */
  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown): Promise<User> {
    return unwrap(await this.users.update(id, body));
  }

  /** DELETE /users/:id → 204; 404. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    unwrap(await this.users.delete(id));
  }
}
