import { ConflictException, Controller, HttpCode, HttpStatus, Logger, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiJsonResponse, ApiPathParam, apiModel } from '../openapi/api-schema';
import { HttpError, schemaFor } from '../openapi/api-shapes';
import { Materializers } from '../platform/materializers';

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
const ALREADY_REBUILDING = 'a rebuild is already running';

@Controller('admin')
export class AdminController {
  private readonly logger = new Logger('Admin');

  constructor(private readonly materializers: Materializers) {}

  /**
   * POST /admin/rebuild: empties every view and its stored positions (one transaction per view) and
   * replays the topics from offset 0. Answers 202 once the replay has started; /health shows its progress.
   */
  @Post('rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Rebuild every view from offset 0 while the service runs (GET /health shows the progress)' })
  @ApiJsonResponse(202, 'the replay has started', RebuildAcceptedModel)
  @ApiJsonResponse(409, ALREADY_REBUILDING, HttpError)
  async rebuildAll(): Promise<RebuildAccepted> {
    if (this.materializers.isRebuilding) throw new ConflictException(ALREADY_REBUILDING);
    this.logger.log({ msg: 'rebuild requested', views: this.materializers.names });
    await this.materializers.rebuildAll();
    return { status: 'rebuilding', views: this.materializers.names };
  }

  /** POST /admin/views/:name/rebuild: the same for one view; 404 for an unknown view. */
  @Post('views/:name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Rebuild one view from offset 0 while the service runs' })
  @ApiPathParam('name', z.string(), 'the view, as GET /health lists it')
  @ApiJsonResponse(202, 'the replay has started', RebuildAcceptedModel)
  @ApiJsonResponse(404, 'no view of that name (the message lists the known ones)', HttpError)
  @ApiJsonResponse(409, ALREADY_REBUILDING, HttpError)
  async rebuildOne(@Param('name') name: string): Promise<RebuildAccepted> {
    if (!this.materializers.has(name)) {
      throw new NotFoundException(`no view named "${name}" (known: ${this.materializers.names.join(', ')})`);
    }
    if (this.materializers.isRebuilding) throw new ConflictException(ALREADY_REBUILDING);
    this.logger.log({ msg: 'rebuild requested', views: [name] });
    await this.materializers.rebuild(name);
    return { status: 'rebuilding', views: [name] };
  }
}
