import type { MaterializerStatus } from '@shop/kafka';
import { healthReport, viewCheck, type Probe } from './health.report';

const up: Probe = { status: 'up', ms: 2 };
const down: Probe = { status: 'down', ms: 3000, error: 'Kafka did not answer within 3000 ms' };

function status(lag: bigint, running = true): MaterializerStatus {
  return {
    view: 'users',
    topic: 'users',
    running,
    caughtUp: lag === 0n,
    lag,
    partitions: [
      { partition: 1, nextOffset: 5n, highWatermark: 5n + lag, lag, updatedAt: new Date('2026-11-25T10:00:00Z') },
      { partition: 0, nextOffset: 7n, highWatermark: 7n, lag: 0n, updatedAt: null },
    ],
  };
}

const observe = (s: MaterializerStatus | undefined, extra: { rebuilding?: boolean; crashed?: boolean; error?: string } = {}) => ({
  view: 'users',
  ...(s ? { status: s } : {}),
  rebuilding: extra.rebuilding ?? false,
  crashed: extra.crashed ?? false,
  ...(extra.error ? { error: extra.error } : {}),
});

describe('viewCheck', () => {
  it('is caught up within the tolerated lag, and reports partitions in order as numbers', () => {
    const check = viewCheck(observe(status(3n)), 3);
    expect(check).toEqual({
      view: 'users',
      topic: 'users',
      status: 'caught-up',
      lag: 3,
      maxLag: 3,
      partitions: [
        { partition: 0, nextOffset: 7, highWatermark: 7, lag: 0, updatedAt: null },
        { partition: 1, nextOffset: 5, highWatermark: 8, lag: 3, updatedAt: '2026-11-25T10:00:00.000Z' },
      ],
    });
  });

  it('is catching up beyond the tolerated lag', () => {
    expect(viewCheck(observe(status(4n)), 3).status).toBe('catching-up');
    expect(viewCheck(observe(status(1n)), 0).status).toBe('catching-up');
  });

  it('names stopped, rebuilding, crashed and unknown views (crashed wins)', () => {
    expect(viewCheck(observe(status(0n, false)), 100).status).toBe('stopped');
    expect(viewCheck(observe(status(0n), { rebuilding: true }), 100).status).toBe('rebuilding');
    expect(viewCheck(observe(status(0n), { rebuilding: true, crashed: true }), 100).status).toBe('crashed');
    expect(viewCheck({ ...observe(status(0n)), starting: true }, 100).status).toBe('starting');
    expect(healthReport(up, up, [viewCheck({ ...observe(status(0n)), starting: true }, 100)]).status).toBe('unavailable');
    const unknown = viewCheck(observe(undefined, { error: 'PostgreSQL did not answer' }), 100);
    expect(unknown).toMatchObject({ status: 'unknown', topic: null, lag: null, partitions: [], error: 'PostgreSQL did not answer' });
  });
});

describe('healthReport', () => {
  const caughtUp = viewCheck(observe(status(0n)), 0);
  const behind = viewCheck(observe(status(10n)), 0);

  it('is ok only when Kafka and the database answer and every view is caught up', () => {
    expect(healthReport(up, up, [caughtUp, caughtUp]).status).toBe('ok');
    expect(healthReport(up, up, []).status).toBe('ok');
    expect(healthReport(down, up, [caughtUp]).status).toBe('unavailable');
    expect(healthReport(up, down, [caughtUp]).status).toBe('unavailable');
    expect(healthReport(up, up, [caughtUp, behind]).status).toBe('unavailable');
  });

  it('keeps every check in the body', () => {
    expect(healthReport(down, up, [behind])).toEqual({ status: 'unavailable', checks: { kafka: down, database: up, views: [behind] } });
  });
});
