import { Module } from '@nestjs/common';
import { UsersController } from './application/users.controller';
import { UsersRepository } from './infra/users.repository';

@Module({ controllers: [UsersController], providers: [UsersRepository] })
export class UsersModule {}
