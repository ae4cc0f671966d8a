/** One key handled in a chunk (an order id, a user id), with the trace id of its record (for the log line). */
export interface KeyTrace {
  readonly key: string;
  readonly traceId?: string | undefined;
}

/**
 * Compact log fields for a chunk: `count`, and `<keyField>` / `traceId` when there is one key (the common case
 * at low rates), else `<keyField>s` / `traceIds` (distinct, the first `max`) so a grep on either id finds the
 * line. keyField is named after the topic's key, e.g. `orderId`.
 */
export function chunkLogFields(items: readonly KeyTrace[], keyField = 'key', max = 20): Record<string, unknown> {
  const keys = [...new Set(items.map((i) => i.key))];
  const traceIds = [...new Set(items.flatMap((i) => (i.traceId ? [i.traceId] : [])))];
  const fields: Record<string, unknown> = { count: items.length };
  if (keys.length === 1) fields[keyField] = keys[0];
  else fields[`${keyField}s`] = keys.slice(0, max);
  if (traceIds.length === 1) fields['traceId'] = traceIds[0];
  else if (traceIds.length > 1) fields['traceIds'] = traceIds.slice(0, max);
  if (keys.length > max || traceIds.length > max) fields['truncated'] = true;
  return fields;
}
