/** One order handled in a chunk, with the trace id of its record (for the log line). */
export interface OrderTrace {
  readonly orderId: string;
  readonly traceId?: string | undefined;
}

/**
 * Compact log fields for a chunk of orders: `count`, and `orderId` / `traceId` when there is one order (the
 * common case at low rates), else `orderIds` / `traceIds` (distinct, the first `max`) so a grep on either id
 * finds the line.
 */
export function chunkLogFields(items: readonly OrderTrace[], max = 20): Record<string, unknown> {
  const orderIds = [...new Set(items.map((i) => i.orderId))];
  const traceIds = [...new Set(items.flatMap((i) => (i.traceId ? [i.traceId] : [])))];
  const fields: Record<string, unknown> = { count: items.length };
  if (orderIds.length === 1) fields['orderId'] = orderIds[0];
  else fields['orderIds'] = orderIds.slice(0, max);
  if (traceIds.length === 1) fields['traceId'] = traceIds[0];
  else if (traceIds.length > 1) fields['traceIds'] = traceIds.slice(0, max);
  if (orderIds.length > max || traceIds.length > max) fields['truncated'] = true;
  return fields;
}
