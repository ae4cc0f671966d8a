import { Module } from '@nestjs/common';
import { CustomersController } from './application/customers.controller';
import { CustomersRepository } from './infra/customers.repository';
import { FraudAlertsProcessor } from './infra/fraud-alerts.processor';
import { ShipmentsProcessor } from './infra/shipments.processor';
import { VerdictsProcessor } from './infra/verdicts.processor';

@Module({
  controllers: [CustomersController, VerdictsProcessor, ShipmentsProcessor, FraudAlertsProcessor],
  providers: [CustomersRepository],
})
export class CustomersModule {}
