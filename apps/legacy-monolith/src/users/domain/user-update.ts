import { assertRecord, type UserPatch } from './user-input';
import type { User } from './user';

export type Merged = { readonly changed: false; readonly user: User } | { readonly changed: true; readonly user: User };

const PATCHABLE = ['email', 'name', 'status', 'country', 'region', 'address_line1', 'city', 'postal_code'] as const;

/**
 * The update-merging rule of PATCH /users/:id (merge-patch semantics):
 *   - a field absent from the patch keeps its value; a field given replaces it; `null` clears an address field;
 *   - `id` and `created_at` never change;
 *   - a patch that changes nothing is not an update: nothing is written (no spurious CDC event), the user is
 *     returned as is;
 *   - otherwise `updated_at` moves to `now`, and always forward: never before or equal to the previous value
 *     (clock skew between instances), so every update is visible as a new `updated_at`.
 */
export function mergeUpdate(current: User, patch: UserPatch, now: Date): Merged {
  const next: User = { ...current };
  let changed = false;
  for (const field of PATCHABLE) {
    const value = patch[field];
    if (value === undefined || value === current[field]) continue;
    // The schema types each field; the loop only copies like to like.
    (next as Record<(typeof PATCHABLE)[number], unknown>)[field] = value;
    changed = true;
  }
  if (!changed) return { changed: false, user: current };
  return { changed: true, user: assertRecord({ ...next, updated_at: nextUpdatedAt(current.updated_at, now) }) };
}

/** `now`, or one millisecond after `previous` when the clock has not moved past it. */
export function nextUpdatedAt(previous: string, now: Date): string {
  const before = Date.parse(previous);
  return new Date(Math.max(now.getTime(), Math.floor(before) + 1)).toISOString();
}
