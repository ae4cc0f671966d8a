/**
 * Pure: what the dashboard's operations table shows for each service, from what its health endpoints said.
 * An operations view (GET /health/live and /health/ready of each service, read by analytics' server for
 * the page), not a business call between services: nothing in analytics' views depends on it.
 */

export interface WatchedService {
  readonly name: string;
  readonly url: string;
}

/** One poll of a service: its /health/live and /health/ready answers (undefined: no answer at all). */
export interface HealthObservation {
  readonly live?: { readonly status: number; readonly body: unknown };
  readonly ready?: { readonly status: number; readonly body: unknown };
}

export interface ServiceState {
  readonly name: string;
  readonly url: string;
  /** not-started: never answered since the dashboard began watching (an opt-in service before `npm run demo:add`). */
  readonly state: 'ready' | 'not-ready' | 'down' | 'not-started';
  /** Sum of its views' lag as /health/ready reports it; null when unknown. */
  readonly lag: number | null;
  /** Process starts seen after the first one since the dashboard began watching (pid or start time changed, or came back up). */
  readonly restarts: number;
  readonly uptimeSeconds: number | null;
  /** Internal: the process identity last seen. */
  readonly startedAt: string | null;
}

type Loose = { readonly [key: string]: unknown };
const asObject = (value: unknown): Loose | undefined => (typeof value === 'object' && value !== null ? (value as Loose) : undefined);

function lagOf(readyBody: unknown): number | null {
  const views = asObject(asObject(readyBody)?.['checks'])?.['views'];
  if (!Array.isArray(views)) return null;
  let sum = 0;
  for (const v of views) {
    const lag = asObject(v)?.['lag'];
    if (typeof lag !== 'number') return null;
    sum += lag;
  }
  return sum;
}

export function nextServiceState(service: WatchedService, previous: ServiceState | undefined, seen: HealthObservation): ServiceState {
  const live = seen.live?.status === 200 ? asObject(seen.live.body) : undefined;
  const startedAt =
    typeof live?.['startedAt'] === 'string' ? live['startedAt'] : typeof live?.['pid'] === 'number' ? `pid ${live['pid']}` : null;
  const uptime = typeof live?.['uptimeSeconds'] === 'number' ? live['uptimeSeconds'] : null;
  const restarted = previous !== undefined && startedAt !== null && previous.startedAt !== null && startedAt !== previous.startedAt;
  const neverSeen = previous === undefined || previous.state === 'not-started';
  const state: ServiceState['state'] = !live ? (neverSeen ? 'not-started' : 'down') : seen.ready?.status === 200 ? 'ready' : 'not-ready';
  return {
    name: service.name,
    url: service.url,
    state,
    lag: seen.ready ? lagOf(seen.ready.body) : null,
    restarts: (previous?.restarts ?? 0) + (restarted ? 1 : 0),
    uptimeSeconds: uptime,
    // While it is down, keep the identity of the last life seen, so the next one counts as a restart.
    startedAt: startedAt ?? previous?.startedAt ?? null,
  };
}

/** DASHBOARD_SERVICES: `name=url,name=url` → the services to watch; throws on a malformed entry. */
export function parseWatchedServices(raw: string): WatchedService[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const match = /^([a-z0-9-]+)=(https?:\/\/[^\s,]+)$/i.exec(entry);
      if (!match) throw new Error(`"${entry}" is not name=http(s)://host:port`);
      return { name: match[1] as string, url: (match[2] as string).replace(/\/+$/, '') };
    });
}
