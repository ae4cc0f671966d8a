import { ConflictException, Controller, HttpCode, HttpStatus, Logger, NotFoundException, Param, Post } from '@nestjs/common';
import { Materializers } from '../platform/materializers';

export interface RebuildAccepted {
  readonly status: 'rebuilding';
  readonly views: string[];
}

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
  async rebuildAll(): Promise<RebuildAccepted> {
    if (this.materializers.isRebuilding) throw new ConflictException('a rebuild is already running');
    this.logger.log({ msg: 'rebuild requested', views: this.materializers.names });
    await this.materializers.rebuildAll();
    return { status: 'rebuilding', views: this.materializers.names };
  }

  /** POST /admin/views/:name/rebuild: the same for one view; 404 for an unknown view. */
  @Post('views/:name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  async rebuildOne(@Param('name') name: string): Promise<RebuildAccepted> {
    if (!this.materializers.has(name)) {
      throw new NotFoundException(`no view named "${name}" (known: ${this.materializers.names.join(', ')})`);
    }
    if (this.materializers.isRebuilding) throw new ConflictException('a rebuild is already running');
    this.logger.log({ msg: 'rebuild requested', views: [name] });
    await this.materializers.rebuild(name);
    return { status: 'rebuilding', views: [name] };
  }
}
