import { Module } from '@nestjs/common';
import { FraudAlertsSeenController } from './application/fraud-alerts-seen.controller';
import { FraudAlertsSeenRepository } from './infra/fraud-alerts-seen.repository';
import { FraudAlertsProcessor } from './infra/fraud-alerts.processor';

@Module({ controllers: [FraudAlertsSeenController, FraudAlertsProcessor], providers: [FraudAlertsSeenRepository] })
export class FraudAlertsModule {}
