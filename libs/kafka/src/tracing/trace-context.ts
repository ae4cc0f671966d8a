import {
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { firstPerKey } from '../materializer/first-per-key';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { Headers } from '../client/kafka-client.port';

/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) carried in Kafka record headers and HTTP
 * headers, through the OpenTelemetry API: `traceparent` (`00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`)
 * and `tracestate`. Injection and extraction use @opentelemetry/core's W3CTraceContextPropagator; span ids
 * come from an SDK tracer (BasicTracerProvider, no exporter: the spans only carry ids from hop to hop).
 * `useTracerProvider` swaps in a provider with an exporter.
 */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** What the propagator reads from: Kafka headers (string map) or Node's HTTP headers (string | string[]). */
export type HeaderCarrier = Readonly<Record<string, string | readonly string[] | undefined>>;

const propagator = new W3CTraceContextPropagator();
let tracer: Tracer = new BasicTracerProvider().getTracer('@shop/kafka');

/** Spans are started from this provider's tracer from now on (e.g. one with an OTLP exporter). */
export function useTracerProvider(provider: TracerProvider): void {
  tracer = provider.getTracer('@shop/kafka');
}

const getter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    // HTTP header names arrive lower-cased; Kafka headers are whatever the producer wrote.
    const found = carrier[key] ?? Object.entries(carrier).find(([name]) => name.toLowerCase() === key)?.[1];
    return found === undefined ? undefined : typeof found === 'string' ? found : [...found];
  },
};

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The remote span context in `headers`, or undefined when there is none or it is malformed. */
export function extractSpanContext(headers: HeaderCarrier | undefined): SpanContext | undefined {
  if (!headers) return undefined;
  const span = trace.getSpan(propagator.extract(ROOT_CONTEXT, headers, getter));
  const spanContext = span?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** `traceparent` (and `tracestate` when there is one) of the span context, as record headers. */
export function traceHeaders(spanContext: SpanContext): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, setter);
  return carrier;
}

/** The 32-hex trace id carried by `headers`, if any (for log lines). */
export function traceIdOf(headers: HeaderCarrier | undefined): string | undefined {
  return extractSpanContext(headers)?.traceId;
}

export interface StartedSpan {
  readonly span: Span;
  readonly traceId: string;
  /** Headers to put on the records produced under this span: they continue the trace downstream. */
  readonly headers: Record<string, string>;
}

/**
 * Starts a span continuing the trace of `incoming` (HTTP request or Kafka record headers), or a new trace
 * when `incoming` carries none. End it with `span.end()`.
 */
export function startSpan(name: string, incoming: HeaderCarrier | undefined, kind: SpanKind = SpanKind.INTERNAL): StartedSpan {
  const parent = extractSpanContext(incoming);
  const parentContext: Context = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  const span = tracer.startSpan(name, { kind }, parentContext);
  const spanContext = span.spanContext();
  return { span, traceId: spanContext.traceId, headers: traceHeaders(spanContext) };
}

/**
 * For a processor producing one record per consumed record: a (short) consumer span per consumed record,
 * child of that record's trace (or a new trace when it has none); returns the headers for the record it
 * produces and the trace id (logs). The span ends at once: the produce happens in the same chunk.
 */
export function continueTrace(name: string, incoming: Headers | undefined): { headers: Record<string, string>; traceId: string } {
  const started = startSpan(name, incoming, SpanKind.CONSUMER);
  started.span.end();
  return { headers: started.headers, traceId: started.traceId };
}

/** The headers of the first record of every key (the record a processor produces its event for). */
export function firstHeadersByKey(records: readonly { readonly key: string; readonly headers: Headers }[]): Map<string, Headers> {
  return new Map(firstPerKey(records, (r) => r.key).map((r) => [r.key, r.headers]));
}

export { SpanKind };
