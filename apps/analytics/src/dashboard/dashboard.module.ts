import { Module } from '@nestjs/common';
import { RollupsModule } from '../rollups/rollups.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** GET /dashboard (live page), /dashboard/events (SSE), /dashboard/snapshot. */
@Module({ imports: [RollupsModule], controllers: [DashboardController], providers: [DashboardService] })
export class DashboardModule {}
