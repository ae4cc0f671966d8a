import { TRACEPARENT, TRACESTATE, continueTrace, extractSpanContext, startSpan, traceHeaders, traceIdOf } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const PARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;
const FORMAT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

describe('trace context (W3C traceparent in headers)', () => {
  it('parses a traceparent (and tracestate) from record or HTTP headers, case-insensitively', () => {
    expect(extractSpanContext({ traceparent: PARENT, tracestate: 'congo=t61rcWkgMzE' })).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
    expect(traceIdOf({ Traceparent: PARENT })).toBe(TRACE_ID);
    expect(traceIdOf({ traceparent: [PARENT] })).toBe(TRACE_ID);
  });

  it('ignores missing or malformed traceparents', () => {
    for (const bad of [
      '',
      'garbage',
      `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `ff-${TRACE_ID}-${SPAN_ID}-01`,
      `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`,
    ]) {
      expect(extractSpanContext({ traceparent: bad })).toBeUndefined();
    }
    expect(extractSpanContext({})).toBeUndefined();
    expect(extractSpanContext(undefined)).toBeUndefined();
  });

  it('formats a span context as traceparent / tracestate headers (round trip)', () => {
    const parsed = extractSpanContext({ traceparent: PARENT, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' });
    expect(parsed).toBeDefined();
    if (!parsed) return;
    expect(traceHeaders(parsed)).toEqual({ [TRACEPARENT]: PARENT, [TRACESTATE]: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' });
    expect(traceHeaders({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 })).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` });
  });

  it('continues an incoming trace: same trace id, a new span id, the tracestate passed on', () => {
    const started = startSpan('POST /orders', { traceparent: PARENT, tracestate: 'congo=t61rcWkgMzE' });
    started.span.end();
    expect(started.traceId).toBe(TRACE_ID);
    expect(started.headers[TRACEPARENT]).toMatch(FORMAT);
    expect(started.headers[TRACEPARENT]).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    expect(started.headers[TRACEPARENT]).not.toContain(SPAN_ID);
    expect(started.headers[TRACESTATE]).toBe('congo=t61rcWkgMzE');

    const downstream = continueTrace('process', started.headers);
    expect(downstream.traceId).toBe(TRACE_ID);
    expect(downstream.headers[TRACEPARENT]).not.toBe(started.headers[TRACEPARENT]);
  });

  it('starts a new sampled trace when nothing comes in', () => {
    const a = continueTrace('process', {});
    const b = continueTrace('process', undefined);
    expect(a.headers[TRACEPARENT]).toMatch(FORMAT);
    expect(a.headers[TRACEPARENT]?.endsWith('-01')).toBe(true);
    expect(a.traceId).not.toBe(b.traceId);
    expect(traceIdOf(a.headers)).toBe(a.traceId);
  });

  it('keeps an unsampled parent unsampled', () => {
    const started = startSpan('x', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` });
    expect(started.traceId).toBe(TRACE_ID);
    expect(started.headers[TRACEPARENT]).toMatch(/-00$/);
  });
});
