/**
 * The first item of every key, in first-seen order. Delivery is at least once, so one chunk of records can
 * hold a redelivery: the processors count, join or answer each key once per chunk (a later chunk's repeat is
 * the database's to refuse).
 */
export function firstPerKey<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const first = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (!first.has(key)) first.set(key, item);
  }
  return [...first.values()];
}
