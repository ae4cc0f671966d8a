import { Histogram, type Registry } from 'prom-client';
import { MetricNames } from './view-metrics';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

interface RequestLike {
  readonly method: string;
  /** fastify: the route this request matched, as declared (`/orders/:id`); absent when none matched. */
  readonly routeOptions?: { readonly url?: unknown };
}
interface ReplyLike {
  readonly statusCode: number;
  /** Milliseconds since the request came in. */
  readonly elapsedTime: number;
}
/** The part of a fastify instance the hook needs. */
export interface HookHost {
  addHook(name: 'onResponse', hook: (request: RequestLike, reply: ReplyLike, done: () => void) => void): unknown;
}

/** The route template a request matched (`/orders/:id`), never the raw URL (bounded label values). */
export function routeLabel(request: RequestLike): string {
  const path = request.routeOptions?.url;
  if (typeof path !== 'string' || path === '') return 'unmatched';
  return path;
}

/**
 * A fastify onResponse hook observing http_request_duration_seconds{method,route,status}. createServiceApp
 * adds it before the routes are registered, so every route has it.
 */
export function registerHttpMetrics(host: HookHost, registry: Registry): void {
  const histogram =
    (registry.getSingleMetric(MetricNames.httpRequestDuration) as Histogram<'method' | 'route' | 'status'> | undefined) ??
    new Histogram({
      name: MetricNames.httpRequestDuration,
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  host.addHook('onResponse', (request, reply, done) => {
    histogram.observe({ method: request.method, route: routeLabel(request), status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
