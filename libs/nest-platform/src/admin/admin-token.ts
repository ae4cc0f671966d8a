import { createHash, timingSafeEqual } from 'node:crypto';

/** The HTTP header an admin request carries its token in: `Authorization: Bearer <ADMIN_TOKEN>`. */
export const ADMIN_AUTH_HEADER = 'authorization';

/** Why an admin request is refused, or null when its token is the configured one. Pure, so unit-tested. */
export function adminTokenProblem(configured: string | undefined, authorization: string | string[] | undefined): string | null {
  if (configured === undefined) return 'admin endpoints are disabled: start the service with ADMIN_TOKEN set';
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return 'send Authorization: Bearer <ADMIN_TOKEN>';
  // Compare digests, not the strings: equal lengths for timingSafeEqual, and no early exit that times the prefix.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(match[1] as string), digest(configured)) ? null : 'wrong admin token';
}
