import { ConflictException, Controller, HttpCode, HttpStatus, Logger, Post } from '@nestjs/common';
import { Materializers } from '../platform/materializers';

@Controller('admin')
export class AdminController {
  private readonly logger = new Logger('Admin');

  constructor(private readonly materializers: Materializers) {}

  /**
   * POST /admin/rebuild: empties every view and its stored positions in one transaction and replays the
   * topics from offset 0. Answers 202 once the replay has started; /health shows its progress.
   */
  @Post('rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  async rebuild(): Promise<{ status: 'rebuilding'; views: string[] }> {
    if (this.materializers.isRebuilding) throw new ConflictException('a rebuild is already running');
    this.logger.log({ msg: 'rebuild requested', views: this.materializers.names });
    await this.materializers.rebuildAll();
    return { status: 'rebuilding', views: this.materializers.names };
  }
}
