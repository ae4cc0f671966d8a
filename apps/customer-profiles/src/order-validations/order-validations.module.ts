import { Module } from '@nestjs/common';
import { OrderValidationsSeenController } from './application/order-validations-seen.controller';
import { OrderValidationsSeenRepository } from './infra/order-validations-seen.repository';
import { OrderValidationsProcessor } from './infra/order-validations.processor';

@Module({ controllers: [OrderValidationsSeenController, OrderValidationsProcessor], providers: [OrderValidationsSeenRepository] })
export class OrderValidationsModule {}
