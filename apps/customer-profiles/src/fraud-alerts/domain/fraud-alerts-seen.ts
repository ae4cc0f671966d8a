import type { EnvelopeMetadata } from '@shop/contracts';

/**
 * The generator's example rules for `fraud-alerts`, pure: which events the seen table keeps and how they are
 * summed up. Replace them with the service's own.
 */

/** One event as the seen table keeps it. */
export interface SeenEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
}

export interface SeenCount {
  readonly type: string;
  readonly count: number;
}

export interface SeenSummary {
  readonly topic: string;
  readonly total: number;
  /** Ordered by type. */
  readonly byType: readonly SeenCount[];
}

/** The events of a chunk, once each: a producer retry or a replay repeats an envelope id, which must count once. */
export function seenEventsOf(events: readonly EnvelopeMetadata[]): SeenEvent[] {
  const byId = new Map<string, SeenEvent>();
  for (const event of events) {
    if (!byId.has(event.id)) byId.set(event.id, { eventId: event.id, type: event.type, occurredAt: event.occurredAt });
  }
  return [...byId.values()];
}

export function seenSummaryOf(topic: string, counts: readonly SeenCount[]): SeenSummary {
  const byType = [...counts].sort((a, b) => a.type.localeCompare(b.type));
  return { topic, total: byType.reduce((sum, c) => sum + c.count, 0), byType };
}
