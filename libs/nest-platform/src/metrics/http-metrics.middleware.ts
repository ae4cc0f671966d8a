import { Histogram, type Registry } from 'prom-client';
import { MetricNames } from './view-metrics';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

interface RequestLike {
  readonly method: string;
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}
interface ResponseLike {
  readonly statusCode: number;
  once(event: 'finish', listener: () => void): unknown;
}

/** The route template a request matched (`/orders/:id`), never the raw URL (bounded label values). */
export function routeLabel(request: RequestLike): string {
  const path = request.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${request.baseUrl ?? ''}${path}` || '/';
}

/**
 * Express middleware observing http_request_duration_seconds{method,route,status} when the response is
 * finished. createServiceApp installs it before the routes (the route template is known by then).
 */
export function httpMetricsMiddleware(registry: Registry): (request: RequestLike, response: ResponseLike, next: () => void) => void {
  const histogram =
    (registry.getSingleMetric(MetricNames.httpRequestDuration) as Histogram<'method' | 'route' | 'status'> | undefined) ??
    new Histogram({
      name: MetricNames.httpRequestDuration,
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return (request, response, next) => {
    const stop = histogram.startTimer();
    response.once('finish', () => stop({ method: request.method, route: routeLabel(request), status: String(response.statusCode) }));
    next();
  };
}
