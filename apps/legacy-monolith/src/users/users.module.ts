import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { InvalidJsonFilter } from './application/invalid-json.filter';
import { UsersController } from './application/users.controller';
import { UsersService } from './application/users.service';
import { UsersRepository } from './infra/users.repository';

@Module({
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, { provide: APP_FILTER, useClass: InvalidJsonFilter }],
})
export class UsersModule {}
