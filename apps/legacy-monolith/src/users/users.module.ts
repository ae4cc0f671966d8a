import { Module } from '@nestjs/common';
import { UsersController } from './application/users.controller';
import { UsersService } from './application/users.service';
import { UsersRepository } from './infra/users.repository';

@Module({
  controllers: [UsersController],
  providers: [UsersService, UsersRepository],
})
export class UsersModule {}
