import { VELOCITY_MAX_ORDERS, windowDeltas, type ValidatedOrderFacts } from './fraud-rules';
import { alertsToProduce, touchedWindows, windowAlertViews, type WindowOrder } from './window-alerts';

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

describe('alertsToProduce', () => {
  const [velocity] = touchedWindows(windowDeltas([order('o-1', '2026-11-25T10:01:00.000Z')]));
  if (!velocity) throw new Error('no window');
  const stored = (minutes: readonly number[]): WindowOrder[] =>
    minutes.map((m) => ({
      orderId: `o-${m}`,
      totalCents: 1_000,
      placedAt: `2026-11-25T10:0${m}:00.000Z`,
      verdictEventId: `o-${m}:verdict`,
    }));
  const viewOf = (minutes: readonly number[]) => windowAlertViews([velocity], new Map([[velocity.eventId, stored(minutes)]]));

  it('produces a new alert as the view has it, and a rewritten one once', () => {
    const views = viewOf([9, 8, 7, 6, 5, 4]);
    const [view] = views;
    if (!view) throw new Error('no view');
    const raisedInProcessingOrder = { ...view, orderId: 'o-4', raisedAt: '2026-11-25T10:04:00.000Z' };
    expect(alertsToProduce([raisedInProcessingOrder], views, new Set([velocity.eventId]))).toEqual([view]);
    expect(alertsToProduce([], views, new Set([velocity.eventId]))).toEqual([view]);
    expect(alertsToProduce([], views, new Set())).toEqual([]);
  });

  it('whatever order the orders arrive in, the least copy produced is the final view (a consumer keeping the least is exact)', () => {
    const minutes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const least = (a: { raisedAt: string; orderId: string }, b: { raisedAt: string; orderId: string }) =>
      a.raisedAt < b.raisedAt || (a.raisedAt === b.raisedAt && a.orderId <= b.orderId) ? a : b;
    for (let run = 0; run < 200; run += 1) {
      const arrival = [...minutes].sort(() => random() - 0.5);
      const seen: number[] = [];
      let kept: WindowOrder[] = [];
      const copies: { raisedAt: string; orderId: string }[] = [];
      for (const m of arrival) {
        seen.push(m);
        const views = viewOf(seen);
        const before = kept;
        kept = stored(seen);
        const [view] = views;
        const previous = windowAlertViews([velocity], new Map([[velocity.eventId, before]]))[0];
        const isNew = view !== undefined && previous === undefined;
        const rewritten = new Set(view && previous && view.orderId !== previous.orderId ? [view.eventId] : []);
        copies.push(...alertsToProduce(isNew ? [view] : [], views, rewritten));
      }
      const final = viewOf(minutes)[0];
      expect(copies.length).toBeGreaterThan(0);
      expect(copies.reduce(least)).toMatchObject({ orderId: final?.orderId, raisedAt: final?.raisedAt });
    }
  });
});
