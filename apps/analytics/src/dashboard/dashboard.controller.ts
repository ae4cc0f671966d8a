import { Controller, Get, Header, Logger, Sse, type BeforeApplicationShutdown, type MessageEvent } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiEventStreamResponse, ApiJsonResponse, ApiOtherResponse } from '@shop/nest-platform';
import { catchError, exhaustMap, from, map, of, ReplaySubject, share, Subject, takeUntil, timer, type Observable } from 'rxjs';
import { DashboardProblemModel, DashboardSnapshotModel } from './dashboard.api';
import { DASHBOARD_HTML } from './dashboard.page';
import { DashboardService } from './dashboard.service';
import type { DashboardSnapshot } from './dashboard.snapshot';

/** How often GET /dashboard/events pushes a snapshot. */
export const PUSH_EVERY_MS = 1000;

@Controller('dashboard')
export class DashboardController implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DashboardController.name);
  /** Ends every open event stream when the service stops (so shutdown does not wait for browsers). */
  private readonly closing = new Subject<void>();

  constructor(private readonly dashboard: DashboardService) {}

  /** GET /dashboard → one self-contained HTML page (inline CSS, JS and SVG) fed by /dashboard/events. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The live dashboard: one self-contained HTML page (inline CSS, JS and SVG) fed by /dashboard/events' })
  @ApiOtherResponse(200, 'the page, for a browser', { type: 'text/html; charset=utf-8', schema: { type: 'string' } })
  page(): string {
    return DASHBOARD_HTML;
  }

  /** GET /dashboard/snapshot → the JSON the event stream pushes. */
  @Get('snapshot')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'What the event stream pushes, once' })
  @ApiJsonResponse(200, 'the snapshot', DashboardSnapshotModel)
  snapshot(): Promise<DashboardSnapshot> {
    return this.dashboard.snapshot();
  }

  /**
   * One snapshot per PUSH_EVERY_MS for all open pages, not one per page: every subscriber shares this stream,
   * a newcomer gets the latest snapshot at once, and the timer stops when the last page closes.
   */
  private readonly snapshots: Observable<MessageEvent> = timer(0, PUSH_EVERY_MS).pipe(
    // A slow read skips ticks instead of queueing them.
    exhaustMap(() =>
      from(this.dashboard.snapshot()).pipe(
        map((snapshot): MessageEvent => ({ type: 'snapshot', data: snapshot })),
        catchError((error: Error) => {
          this.logger.warn(`dashboard snapshot failed: ${error.message}`);
          return of<MessageEvent>({ type: 'problem', data: { error: error.message } });
        }),
      ),
    ),
    takeUntil(this.closing),
    share({ connector: () => new ReplaySubject<MessageEvent>(1), resetOnRefCountZero: true }),
  );

  /** GET /dashboard/events → Server-Sent Events: a snapshot on connect and then every PUSH_EVERY_MS. */
  @Sse('events')
  @ApiOperation({
    summary: `Server-Sent Events: a snapshot on connect and then every ${PUSH_EVERY_MS} ms, one stream shared by every open page`,
  })
  @ApiEventStreamResponse('the stream, open until the client or the service closes it', {
    snapshot: DashboardSnapshotModel,
    problem: DashboardProblemModel,
  })
  events(): Observable<MessageEvent> {
    return this.snapshots;
  }

  beforeApplicationShutdown(): void {
    this.closing.next();
    this.closing.complete();
  }
}
