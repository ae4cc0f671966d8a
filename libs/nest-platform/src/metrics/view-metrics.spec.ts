import type { MaterializerStatus } from '@shop/kafka';
import { Registry } from 'prom-client';
import { routeLabel } from './http-metrics.hook';
import { MetricNames, createMetricsRegistry, lastCommit, registerViewMetrics, type ObservedView } from './view-metrics';

const NOW = Date.parse('2026-11-25T12:00:10.000Z');

const status = (view: string, topic: string, partitions: MaterializerStatus['partitions']): MaterializerStatus => ({
  view,
  topic,
  running: true,
  caughtUp: partitions.every((p) => p.lag === 0n),
  lag: partitions.reduce((s, p) => s + p.lag, 0n),
  partitions,
});

describe('view metrics', () => {
  const stats = { recordsApplied: 42, deadLetters: 2, transactions: 7, errors: 1 };
  let statusCalls = 0;
  const views: ObservedView[] = [
    {
      view: 'shipments',
      topic: 'p_order-validations',
      stats,
      status: async () => {
        statusCalls += 1;
        return status('shipments', 'p_order-validations', [
          { partition: 0, nextOffset: 10n, highWatermark: 13n, lag: 3n, updatedAt: new Date('2026-11-25T12:00:00.000Z') },
          { partition: 1, nextOffset: 5n, highWatermark: 5n, lag: 0n, updatedAt: new Date('2026-11-25T12:00:07.500Z') },
        ]);
      },
    },
    {
      view: 'users',
      topic: 'p_users',
      stats: { recordsApplied: 0, deadLetters: 0, transactions: 0, errors: 0 },
      status: async () => status('users', 'p_users', [{ partition: 0, nextOffset: 0n, highWatermark: 0n, lag: 0n, updatedAt: null }]),
    },
    {
      view: 'broken',
      topic: 'p_broken',
      stats: { recordsApplied: 0, deadLetters: 0, transactions: 0, errors: 5 },
      status: () => Promise.reject(new Error('database away')),
    },
  ];

  const scrape = async () => {
    const registry = new Registry();
    registerViewMetrics(registry, { views: () => views, now: () => NOW });
    return { registry, text: await registry.metrics() };
  };

  it('names the metrics as documented', () => {
    expect(Object.values(MetricNames)).toEqual([
      'events_processed_total',
      'view_transactions_total',
      'view_errors_total',
      'dead_letters_total',
      'consumer_lag',
      'view_freshness_seconds',
      'http_request_duration_seconds',
    ]);
  });

  it('computes the counters from the stats and the gauges from status(), at scrape time', async () => {
    statusCalls = 0;
    const { registry, text } = await scrape();
    expect(text).toContain('# TYPE events_processed_total counter');
    expect(text).toContain('events_processed_total{view="shipments",topic="p_order-validations"} 42');
    expect(text).toContain('events_processed_total{view="users",topic="p_users"} 0');
    expect(text).toContain(`view_transactions_total{view="shipments"} ${stats.transactions}`);
    expect(text).toContain('view_transactions_total{view="users"} 0');
    expect(text).toContain('view_errors_total{view="shipments"} 1');
    expect(text).toContain('view_errors_total{view="broken"} 5');
    expect(text).toContain('dead_letters_total{view="shipments",topic="p_order-validations"} 2');
    expect(text).toContain('# TYPE consumer_lag gauge');
    expect(text).toContain('consumer_lag{view="shipments",topic="p_order-validations",partition="0"} 3');
    expect(text).toContain('consumer_lag{view="shipments",topic="p_order-validations",partition="1"} 0');
    expect(text).toContain('consumer_lag{view="users",topic="p_users",partition="0"} 0');
    // Freshness: now − the latest commit on any partition; no sample before a first commit or without a status.
    expect(text).toContain('view_freshness_seconds{view="shipments"} 2.5');
    expect(text).not.toMatch(/view_freshness_seconds\{view="users"\}/);
    expect(text).not.toMatch(/consumer_lag\{view="broken"/);
    // One status() per view and scrape, shared by both gauges.
    expect(statusCalls).toBe(1);

    // Counters follow the stats on the next scrape (no double counting).
    stats.recordsApplied = 50;
    expect(await registry.metrics()).toContain('events_processed_total{view="shipments",topic="p_order-validations"} 50');
  });

  it('takes the latest updatedAt over the partitions', () => {
    expect(lastCommit(undefined)).toBeUndefined();
    expect(lastCommit(status('v', 't', [{ partition: 0, nextOffset: 0n, highWatermark: 0n, lag: 0n, updatedAt: null }]))).toBeUndefined();
    expect(
      lastCommit(
        status('v', 't', [
          { partition: 0, nextOffset: 0n, highWatermark: 0n, lag: 0n, updatedAt: new Date(5000) },
          { partition: 1, nextOffset: 0n, highWatermark: 0n, lag: 0n, updatedAt: new Date(9000) },
        ]),
      ),
    ).toBe(9000);
  });

  it('gives each app its own registry with the default process metrics and a service label', async () => {
    const a = createMetricsRegistry({ service: 'a' });
    const b = createMetricsRegistry({ service: 'b' });
    expect(a).not.toBe(b);
    const text = await a.metrics();
    expect(text).toContain('process_cpu_user_seconds_total{service="a"}');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('labels HTTP requests by route template, never the raw URL', () => {
    expect(routeLabel({ method: 'GET', routeOptions: { url: '/orders/:id' } })).toBe('/orders/:id');
    expect(routeLabel({ method: 'GET' })).toBe('unmatched');
  });
});
