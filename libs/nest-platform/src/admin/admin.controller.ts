import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Logger,
  NotFoundException,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { ReplayInterruptedError } from '@shop/kafka';
import { z } from 'zod';
import { parsePageQuery } from '../http/page-query';
import { ApiJsonResponse, ApiPathParam, apiModel } from '../openapi/api-schema';
import { ApiErrorResponse, ApiPageQuery, HttpError, schemaFor } from '../openapi/api-shapes';
import { Materializers, NotAdmittedError } from '../platform/materializers';
import { AdminTokenGuard } from './admin-token.guard';
import type { Admission } from './admission';
import {
  DeadLetterPageModel,
  DeadLetterReplayModel,
  deadLetterPageBody,
  deadLetterReplayBody,
  type DeadLetterPageBody,
  type DeadLetterReplayBody,
} from './dead-letters.api';

export interface RebuildAccepted {
  readonly status: 'rebuilding';
  readonly views: string[];
}

const RebuildAcceptedModel = apiModel(
  'RebuildAccepted',
  schemaFor<RebuildAccepted>()(
    z.object({ status: z.literal('rebuilding'), views: z.array(z.string()).describe('the views being rebuilt') }),
  ),
);
const REBUILD_CONFLICT = 'a rebuild or a dead-letter replay is running';
const VIEW_NAME = z.string();
const VIEW_NAME_DESCRIPTION = 'the view, as GET /health lists it';

/** The HTTP answer of a refused admin operation. */
function refusal(admission: Extract<Admission, { admitted: false }>): Error {
  return admission.status === 422 ? new UnprocessableEntityException(admission.reason) : new ConflictException(admission.reason);
}

const UNAUTHORIZED = 'no or a wrong `Authorization: Bearer <ADMIN_TOKEN>`, or the service has no ADMIN_TOKEN (then closed)';

/** Rebuilds and dead-letter replay: each needs the service's ADMIN_TOKEN as a bearer token (AdminTokenGuard). */
@Controller('admin')
@UseGuards(AdminTokenGuard)
@ApiBearerAuth()
export class AdminController {
  private readonly logger = new Logger('Admin');

  constructor(private readonly materializers: Materializers) {}

  /**
   * POST /admin/rebuild: empties every view and its stored positions (one transaction per view) and
   * replays the topics from offset 0. Answers 202 once the replay has started; /health shows its progress.
   */
  @Post('rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiErrorResponse(401, UNAUTHORIZED)
  @ApiOperation({ summary: 'Rebuild every view from offset 0 while the service runs (GET /health shows the progress)' })
  @ApiJsonResponse(202, 'the replay has started', RebuildAcceptedModel)
  @ApiErrorResponse(409, REBUILD_CONFLICT)
  async rebuildAll(): Promise<RebuildAccepted> {
    const admission = this.materializers.rebuildAdmission();
    if (!admission.admitted) throw refusal(admission);
    this.logger.log({ msg: 'rebuild requested', views: this.materializers.names });
    await this.materializers.rebuildAll();
    return { status: 'rebuilding', views: this.materializers.names };
  }

  /** POST /admin/views/:name/rebuild: the same for one view; 404 for an unknown view. */
  @Post('views/:name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiErrorResponse(401, UNAUTHORIZED)
  @ApiOperation({ summary: 'Rebuild one view from offset 0 while the service runs' })
  @ApiPathParam('name', VIEW_NAME, VIEW_NAME_DESCRIPTION)
  @ApiJsonResponse(202, 'the replay has started', RebuildAcceptedModel)
  @ApiErrorResponse(404, 'no view of that name (the message lists the known ones)')
  @ApiErrorResponse(409, REBUILD_CONFLICT)
  async rebuildOne(@Param('name') name: string): Promise<RebuildAccepted> {
    this.knownView(name);
    const admission = this.materializers.rebuildAdmission();
    if (!admission.admitted) throw refusal(admission);
    this.logger.log({ msg: 'rebuild requested', views: [name] });
    await this.materializers.rebuild(name);
    return { status: 'rebuilding', views: [name] };
  }

  /**
   * GET /admin/views/:name/dead-letters?limit=&offset=: the view's letters on `<topic>.dlq` (those whose
   * `dlq.consumer` is the view's consumer group), with their error headers and whether a replay has passed them.
   */
  @Get('views/:name/dead-letters')
  @ApiErrorResponse(401, UNAUTHORIZED)
  @ApiOperation({ summary: "List one view's dead letters with their errors, by partition and offset" })
  @ApiPathParam('name', VIEW_NAME, VIEW_NAME_DESCRIPTION)
  @ApiPageQuery()
  @ApiJsonResponse(200, "one page of the view's dead letters", DeadLetterPageModel)
  @ApiErrorResponse(400, 'a bad limit or offset (every problem listed)')
  @ApiErrorResponse(404, 'no view of that name (the message lists the known ones)')
  async deadLetters(@Param('name') name: string, @Query() query: Record<string, unknown>): Promise<DeadLetterPageBody> {
    this.knownView(name);
    const parsed = parsePageQuery(query);
    if (!parsed.ok) throw new BadRequestException(parsed.problems);
    return deadLetterPageBody(await this.materializers.listDeadLetters(name, parsed.page));
  }

  /**
   * POST /admin/views/:name/dead-letters/replay: applies the view's dead letters past the stored replay
   * position to the view (after a fix is deployed), each letter with the position in one transaction, and
   * answers what happened once it is over. Nothing is produced to the original topic.
   */
  @Post('views/:name/dead-letters/replay')
  @HttpCode(HttpStatus.OK)
  @ApiErrorResponse(401, UNAUTHORIZED)
  @ApiOperation({
    summary: "Apply one view's dead letters to it (after a fix), each exactly once; answers how many applied and which still fail",
  })
  @ApiPathParam('name', VIEW_NAME, VIEW_NAME_DESCRIPTION)
  @ApiJsonResponse(200, 'the replay is over: letters applied, still failing (with the errors), passed over', DeadLetterReplayModel)
  @ApiErrorResponse(404, 'no view of that name (the message lists the known ones)')
  @ApiErrorResponse(409, "a rebuild, or a replay of this view's dead letters, is running")
  @ApiErrorResponse(422, 'a latest-wins view (a changelog table): its letters are never replayed; rebuild it instead')
  @ApiJsonResponse(
    503,
    'interrupted by the database or the broker: what was applied stays applied, and the next replay resumes there',
    HttpError,
  )
  async replayDeadLetters(@Param('name') name: string): Promise<DeadLetterReplayBody> {
    this.knownView(name);
    const admission = this.materializers.replayAdmission(name);
    if (!admission.admitted) throw refusal(admission);
    try {
      return deadLetterReplayBody(await this.materializers.replayDeadLetters(name));
    } catch (error) {
      if (error instanceof NotAdmittedError) throw refusal(error.admission);
      if (error instanceof ReplayInterruptedError) {
        const { applied, stillFailing } = error.report;
        throw new ServiceUnavailableException(`${error.message} (applied ${applied}, still failing ${stillFailing} before that)`);
      }
      throw error;
    }
  }

  private knownView(name: string): void {
    if (!this.materializers.has(name)) {
      throw new NotFoundException(`no view named "${name}" (known: ${this.materializers.names.join(', ')})`);
    }
  }
}
