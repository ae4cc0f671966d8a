import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { invalidJsonFilter } from '@shop/nest-platform';
import { UsersController } from './application/users.controller';
import { UsersService } from './application/users.service';
import { UsersRepository } from './infra/users.repository';

@Module({
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, { provide: APP_FILTER, useClass: invalidJsonFilter({ error: 'invalid user' }) }],
})
export class UsersModule {}
