import type { EnvelopeMetadata } from '@shop/contracts';
import { seenEventsOf, seenSummaryOf } from './shipments-seen';

const event = (id: string, type = 'Example'): EnvelopeMetadata => ({
  id,
  type,
  version: 1,
  occurredAt: '2026-11-25T10:00:00.000Z',
  source: 'test',
  correlationId: id,
  causationId: null,
});

describe('seenEventsOf', () => {
  it('keeps every event once, in log order', () => {
    expect(seenEventsOf([event('e-2'), event('e-1', 'Other'), event('e-2')])).toEqual([
      { eventId: 'e-2', type: 'Example', occurredAt: '2026-11-25T10:00:00.000Z' },
      { eventId: 'e-1', type: 'Other', occurredAt: '2026-11-25T10:00:00.000Z' },
    ]);
    expect(seenEventsOf([])).toEqual([]);
  });
});

describe('seenSummaryOf', () => {
  it('sums the counts and orders them by type', () => {
    expect(
      seenSummaryOf('shipments', [
        { type: 'B', count: 2 },
        { type: 'A', count: 1 },
      ]),
    ).toEqual({
      topic: 'shipments',
      total: 3,
      byType: [
        { type: 'A', count: 1 },
        { type: 'B', count: 2 },
      ],
    });
    expect(seenSummaryOf('shipments', [])).toEqual({ topic: 'shipments', total: 0, byType: [] });
  });
});
