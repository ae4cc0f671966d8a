import { Module } from '@nestjs/common';
import { AnalyticsController } from './application/analytics.controller';
import { AnalyticsRepository } from './infra/analytics.repository';

@Module({ controllers: [AnalyticsController], providers: [AnalyticsRepository], exports: [AnalyticsRepository] })
export class RollupsModule {}
