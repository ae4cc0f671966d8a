import { Module, type DynamicModule } from '@nestjs/common';
import { RollupsModule } from '../rollups/rollups.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import type { WatchedService } from './service-watch';
import { ServicesWatcher, WatchedServices } from './services.watcher';

/** GET /dashboard (live page), /dashboard/events (SSE), /dashboard/snapshot; `services`: the operations table's services. */
@Module({})
export class DashboardModule {
  static forRoot(services: readonly WatchedService[] = []): DynamicModule {
    return {
      module: DashboardModule,
      imports: [RollupsModule],
      controllers: [DashboardController],
      providers: [DashboardService, ServicesWatcher, { provide: WatchedServices, useValue: new WatchedServices(services) }],
    };
  }
}
