import { nextServiceState, parseWatchedServices, type HealthObservation } from './service-watch';

const svc = { name: 'shipping', url: 'http://127.0.0.1:3002' };
const live = (startedAt: string, uptimeSeconds = 5) => ({ status: 200, body: { status: 'live', pid: 1, startedAt, uptimeSeconds } });
const ready = (status: number, lags: number[]) => ({
  status,
  body: { status: status === 200 ? 'ok' : 'unavailable', checks: { views: lags.map((lag) => ({ lag })) } },
});

describe('nextServiceState', () => {
  it('is ready with the sum of its views lag, and counts a new process start as a restart', () => {
    const first = nextServiceState(svc, undefined, { live: live('2026-12-01T10:00:00Z'), ready: ready(200, [1, 2]) });
    expect(first).toMatchObject({ state: 'ready', lag: 3, restarts: 0, uptimeSeconds: 5 });
    const same = nextServiceState(svc, first, { live: live('2026-12-01T10:00:00Z', 6), ready: ready(200, [0]) });
    expect(same).toMatchObject({ state: 'ready', lag: 0, restarts: 0 });
    const down: HealthObservation = {};
    const gone = nextServiceState(svc, same, down);
    expect(gone).toMatchObject({ state: 'down', lag: null, restarts: 0, uptimeSeconds: null });
    const back = nextServiceState(svc, gone, { live: live('2026-12-01T10:05:00Z', 1), ready: ready(503, [120]) });
    expect(back).toMatchObject({ state: 'not-ready', lag: 120, restarts: 1 });
  });

  it('is not-started until it first answers (an opt-in service before demo:add), then down when it stops', () => {
    const never = nextServiceState(svc, undefined, {});
    expect(never).toMatchObject({ state: 'not-started', lag: null, restarts: 0 });
    expect(nextServiceState(svc, never, {})).toMatchObject({ state: 'not-started' });
    const first = nextServiceState(svc, never, { live: live('2026-12-01T10:00:00Z'), ready: ready(503, [900]) });
    expect(first).toMatchObject({ state: 'not-ready', lag: 900, restarts: 0 });
    expect(nextServiceState(svc, first, {})).toMatchObject({ state: 'down' });
  });

  it('has no lag when the ready answer has none', () => {
    expect(nextServiceState(svc, undefined, { live: live('x'), ready: { status: 200, body: { status: 'ok' } } }).lag).toBeNull();
  });
});

describe('parseWatchedServices', () => {
  it('reads name=url pairs and refuses anything else', () => {
    expect(parseWatchedServices(' shipping=http://127.0.0.1:3002/ , analytics=http://localhost:3004')).toEqual([
      { name: 'shipping', url: 'http://127.0.0.1:3002' },
      { name: 'analytics', url: 'http://localhost:3004' },
    ]);
    expect(parseWatchedServices('')).toEqual([]);
    expect(() => parseWatchedServices('shipping:3002')).toThrow('"shipping:3002" is not name=http(s)://host:port');
  });
});
