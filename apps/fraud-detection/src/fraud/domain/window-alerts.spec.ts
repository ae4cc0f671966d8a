import { VELOCITY_MAX_ORDERS, windowDeltas, type ValidatedOrderFacts } from './fraud-rules';
import { touchedWindows, windowAlertViews, type WindowOrder } from './window-alerts';

const order = (orderId: string, placedAt: string, userId = 'u-1'): ValidatedOrderFacts => ({
  orderId,
  userId,
  totalCents: 1_000,
  shipCountry: 'FR',
  placedAt,
  verdictEventId: `${orderId}:verdict`,
});

describe('touchedWindows', () => {
  it('names each (rule, window) of the deltas once: velocity watches 10 minutes, amount one hour', () => {
    const deltas = windowDeltas([
      order('o-1', '2026-11-25T10:01:00.000Z'),
      order('o-2', '2026-11-25T10:02:00.000Z'),
      order('o-3', '2026-11-25T10:12:00.000Z'),
    ]);
    expect(touchedWindows(deltas).map((w) => [w.eventId, w.endMs - w.startMs])).toEqual([
      ['u-1:velocity:2026-11-25T10:00:00.000Z', 600_000],
      ['u-1:velocity:2026-11-25T10:10:00.000Z', 600_000],
      ['u-1:amount:2026-11-25T10:00:00.000Z', 3_600_000],
    ]);
  });
});

describe('windowAlertViews', () => {
  it('names the crossing order by event time, whatever order the orders were stored in', () => {
    const [velocity] = touchedWindows(windowDeltas([order('o-1', '2026-11-25T10:01:00.000Z')]));
    if (!velocity) throw new Error('no window');
    const stored: WindowOrder[] = Array.from({ length: VELOCITY_MAX_ORDERS + 1 }, (_, i) => ({
      orderId: `o-${i}`,
      totalCents: 1_000,
      placedAt: `2026-11-25T10:0${i}:00.000Z`,
      verdictEventId: `o-${i}:verdict`,
    })).reverse();
    const [view] = windowAlertViews([velocity], new Map([[velocity.eventId, stored]]));
    expect(view).toMatchObject({
      eventId: velocity.eventId,
      orderId: `o-${VELOCITY_MAX_ORDERS}`,
      raisedAt: `2026-11-25T10:0${VELOCITY_MAX_ORDERS}:00.000Z`,
    });
  });

  it('leaves windows without an alert (no stored orders for it) and windows that do not cross', () => {
    const windows = touchedWindows(windowDeltas([order('o-1', '2026-11-25T10:01:00.000Z')]));
    const one: WindowOrder[] = [{ orderId: 'o-1', totalCents: 1_000, placedAt: '2026-11-25T10:01:00.000Z', verdictEventId: 'o-1:verdict' }];
    expect(windowAlertViews(windows, new Map())).toEqual([]);
    expect(windowAlertViews(windows, new Map(windows.map((w) => [w.eventId, one])))).toEqual([]);
  });
});
