import { Module } from '@nestjs/common';
import { AlertsController } from './application/alerts.controller';
import { AlertsRepository } from './infra/alerts.repository';

@Module({ controllers: [AlertsController], providers: [AlertsRepository] })
export class AlertsModule {}
