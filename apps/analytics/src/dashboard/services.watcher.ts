import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { nextServiceState, type HealthObservation, type ServiceState, type WatchedService } from './service-watch';

const POLL_EVERY_MS = 2000;
const TIMEOUT_MS = 1500;

/** The services the dashboard's operations table watches (DASHBOARD_SERVICES). */
export class WatchedServices {
  constructor(readonly list: readonly WatchedService[]) {}
}

async function getJson(url: string): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: response.status, body: (await response.json()) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Polls each watched service's /health/live and /health/ready in the background, so restarts are counted
 * whether or not a page is open. Nothing is polled when the list is empty.
 */
@Injectable()
export class ServicesWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly states = new Map<string, ServiceState>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly watched: WatchedServices) {}

  onApplicationBootstrap(): void {
    if (this.watched.list.length === 0) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** The latest state of every watched service, in the configured order. */
  current(): ServiceState[] {
    return this.watched.list.flatMap((s) => {
      const state = this.states.get(s.name);
      return state ? [state] : [];
    });
  }

  private poll(): Promise<void> {
    this.polling ??= Promise.all(
      this.watched.list.map(async (service) => {
        const [live, ready] = await Promise.all([getJson(`${service.url}/health/live`), getJson(`${service.url}/health/ready`)]);
        const seen: HealthObservation = { ...(live ? { live } : {}), ...(ready ? { ready } : {}) };
        this.states.set(service.name, nextServiceState(service, this.states.get(service.name), seen));
      }),
    ).then(
      () => {
        this.polling = undefined;
      },
      () => {
        this.polling = undefined;
      },
    );
    return this.polling;
  }
}
