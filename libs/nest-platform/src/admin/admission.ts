/**
 * Whether an admin operation on the views may start now, decided from what runs (pure: the admin controller
 * turns a refusal into its HTTP status, Materializers re-checks before it starts).
 */

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly status: 409 | 422; readonly reason: string };

const ADMITTED: Admission = { admitted: true };

export interface AdminActivity {
  /** A rebuild (one view or all) is running. */
  readonly rebuilding: boolean;
  /** Views whose dead letters are being replayed. */
  readonly replaying: readonly string[];
}

/**
 * A dead-letter replay of `view`: 422 when the view's letters must never be replayed (`refusal`, from
 * replayRefusal: that holds whatever runs, so it is answered first), 409 while a rebuild runs (it truncates the
 * view the replay writes to, and supersedes the letters) or while another replay of the same view runs.
 * Replays of different views may run together.
 */
export function replayAdmission(view: string, activity: AdminActivity, refusal: string | undefined): Admission {
  if (refusal !== undefined) return { admitted: false, status: 422, reason: refusal };
  if (activity.rebuilding) return { admitted: false, status: 409, reason: 'a rebuild is running: replay the dead letters once it is over' };
  if (activity.replaying.includes(view)) {
    return { admitted: false, status: 409, reason: `the dead letters of view ${view} are being replayed already` };
  }
  return ADMITTED;
}

/** A rebuild: 409 while another rebuild or any dead-letter replay runs (the replay would write into the emptied view). */
export function rebuildAdmission(activity: AdminActivity): Admission {
  if (activity.rebuilding) return { admitted: false, status: 409, reason: 'a rebuild is already running' };
  if (activity.replaying.length > 0) {
    return { admitted: false, status: 409, reason: `a dead-letter replay is running (view ${activity.replaying.join(', ')})` };
  }
  return ADMITTED;
}
