import { Module } from '@nestjs/common';
import { AnalyticsController } from './application/analytics.controller';
import { AnalyticsRepository } from './infra/analytics.repository';
import { FraudAlertsCounter } from './infra/fraud-alerts.counter';
import { ShipmentsCounter } from './infra/shipments.counter';
import { VerdictsProcessor } from './infra/verdicts.processor';

/** The roll-ups' HTTP API and the three views that feed them (@ViewHandlers run by the platform's transport). */
@Module({
  controllers: [AnalyticsController, VerdictsProcessor, ShipmentsCounter, FraudAlertsCounter],
  providers: [AnalyticsRepository],
  exports: [AnalyticsRepository],
})
export class RollupsModule {}
