import type { MaterializerStats, MaterializerStatus } from '@shop/kafka';
import { Counter, Gauge, collectDefaultMetrics, Registry } from 'prom-client';

/** Names of the metrics every service exposes on GET /metrics (besides Node's default process metrics). */
export const MetricNames = {
  eventsProcessed: 'events_processed_total',
  viewTransactions: 'view_transactions_total',
  viewErrors: 'view_errors_total',
  deadLetters: 'dead_letters_total',
  consumerLag: 'consumer_lag',
  viewFreshness: 'view_freshness_seconds',
  httpRequestDuration: 'http_request_duration_seconds',
} as const;

/** What the metrics read from one view: a Materializer's `stats` and `status()` (and its names). */
export interface ObservedView {
  readonly view: string;
  readonly topic: string;
  readonly stats: Readonly<MaterializerStats>;
  status(): Promise<MaterializerStatus>;
}

export interface ViewMetricsOptions {
  /** The views to observe, read on every scrape (a rebuild or a late view are seen as they are). */
  readonly views: () => readonly ObservedView[];
  /** Clock for view_freshness_seconds (tests). */
  readonly now?: () => number;
  /** Bound on one scrape's status() calls (ms): a view that does not answer has no lag/freshness samples. */
  readonly statusTimeoutMs?: number;
}

/** A fresh registry with Node's default process metrics (per app: several apps may share a process in tests). */
export function createMetricsRegistry(labels: Readonly<Record<string, string>> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ ...labels });
  collectDefaultMetrics({ register: registry });
  return registry;
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

/**
 * Registers the view metrics on `registry`, all computed when Prometheus scrapes (collect callbacks):
 * the counters from each Materializer's `stats` (monotonic for the life of the process), `consumer_lag`
 * per partition and `view_freshness_seconds` (now − the view's last commit on any partition) from `status()`,
 * fetched once per scrape for both gauges.
 */
export function registerViewMetrics(registry: Registry, options: ViewMetricsOptions): void {
  const now = options.now ?? Date.now;
  const timeoutMs = options.statusTimeoutMs ?? 3000;
  let scrape: { at: number; statuses: Promise<(MaterializerStatus | undefined)[]> } | undefined;
  // Both gauges of one scrape share one status() round per view.
  const statuses = (): Promise<(MaterializerStatus | undefined)[]> => {
    const at = now();
    if (!scrape || at - scrape.at > 1000) {
      scrape = { at, statuses: Promise.all(options.views().map((v) => within(v.status(), timeoutMs).catch(() => undefined))) };
    }
    return scrape.statuses;
  };

  new Counter({
    name: MetricNames.eventsProcessed,
    help: 'Records applied to a view (committed with its position), per view and topic.',
    labelNames: ['view', 'topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of options.views()) this.inc({ view: v.view, topic: v.topic }, v.stats.recordsApplied);
    },
  });
  new Counter({
    name: MetricNames.viewTransactions,
    help: 'Committed view transactions, per view (events_processed_total / this = records per transaction).',
    labelNames: ['view'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of options.views()) this.inc({ view: v.view }, v.stats.transactions);
    },
  });
  new Counter({
    name: MetricNames.viewErrors,
    help: 'Failed view transactions (retried, isolated record by record, or stalling the partition).',
    labelNames: ['view'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of options.views()) this.inc({ view: v.view }, v.stats.errors);
    },
  });
  new Counter({
    name: MetricNames.deadLetters,
    help: "Records a view sent to its topic's dead-letter topic (<topic>.dlq).",
    labelNames: ['view', 'topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of options.views()) this.inc({ view: v.view, topic: v.topic }, v.stats.deadLetters);
    },
  });
  new Gauge({
    name: MetricNames.consumerLag,
    help: "Records of the topic partition not yet in the view (high watermark − the view's stored position).",
    labelNames: ['view', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      const all = await statuses();
      this.reset();
      for (const status of all) {
        for (const p of status?.partitions ?? []) {
          this.set({ view: status?.view, topic: status?.topic, partition: String(p.partition) }, Number(p.lag));
        }
      }
    },
  });
  new Gauge({
    name: MetricNames.viewFreshness,
    help: 'Seconds since the view last committed a transaction (on any partition); absent before its first commit.',
    labelNames: ['view'],
    registers: [registry],
    async collect() {
      const all = await statuses();
      this.reset();
      const at = now();
      for (const status of all) {
        const last = lastCommit(status);
        if (status && last !== undefined) this.set({ view: status.view }, Math.max(0, (at - last) / 1000));
      }
    },
  });
}

/** The latest `updatedAt` over the view's partitions (ms since the epoch), if it ever committed. */
export function lastCommit(status: MaterializerStatus | undefined): number | undefined {
  const times = (status?.partitions ?? []).flatMap((p) => (p.updatedAt ? [p.updatedAt.getTime()] : []));
  return times.length === 0 ? undefined : Math.max(...times);
}
