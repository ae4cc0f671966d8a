import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { PLATFORM_OPTIONS, type PlatformOptions } from '../platform/platform.tokens';
import { ADMIN_AUTH_HEADER, adminTokenProblem } from './admin-token';

/** /admin/* needs `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN configured they are closed (401). */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const problem = adminTokenProblem(this.options.adminToken, request.headers[ADMIN_AUTH_HEADER]);
    if (problem) throw new UnauthorizedException(problem);
    return true;
  }
}
