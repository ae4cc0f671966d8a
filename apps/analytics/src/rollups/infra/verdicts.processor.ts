import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type OrderVerdictEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { readUsersAsOf } from '@shop/kafka';
import { USERS_VIEW, USERS_VIEW_TABLE } from '../../users/infra/users.view';
import { countVerdicts } from '../domain/verdicts';

export const VERDICTS_VIEW = 'verdicts';

/**
 * One statement per chunk: the verdicts not seen before (by orderId) go into seen_verdicts, and only
 * those (`fresh`) are added to the verdict totals and, for validated orders, to the roll-ups.
 * A redelivered verdict finds its orderId in seen_verdicts and adds nothing.
 */
const APPLY_SQL = `
WITH fresh AS (
  INSERT INTO seen_verdicts (order_id, event_id, outcome, user_id, region, placed_at, total_cents)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bigint[])
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id, outcome, total_cents
), totals AS (
  INSERT INTO verdict_totals AS t (outcome, orders, revenue_cents)
  SELECT outcome, count(*), sum(total_cents) FROM fresh GROUP BY outcome
  ON CONFLICT (outcome) DO UPDATE SET orders = t.orders + EXCLUDED.orders, revenue_cents = t.revenue_cents + EXCLUDED.revenue_cents
)
INSERT INTO rollups AS r (window_size, window_start, dimension, dimension_value, count, revenue)
SELECT c.window_size, c.window_start, c.dimension, c.dimension_value, sum(c.count), sum(c.revenue)
FROM unnest($8::text[], $9::text[], $10::timestamptz[], $11::text[], $12::text[], $13::bigint[], $14::bigint[])
  AS c(order_id, window_size, window_start, dimension, dimension_value, count, revenue)
JOIN fresh f ON f.order_id = c.order_id
GROUP BY c.window_size, c.window_start, c.dimension, c.dimension_value
ON CONFLICT (window_size, window_start, dimension, dimension_value)
DO UPDATE SET count = r.count + EXCLUDED.count, revenue = r.revenue + EXCLUDED.revenue`;

/**
 * Verdicts on `order-validations` → roll-ups of the validated orders (by region, product, category, in
 * 1-minute, 1-hour and total windows on event time) and counts of validated/rejected orders.
 * A stream–table join: the platform waits until the users view has caught up with `users` before each
 * chunk; each order's region is the user's as of the verdict's users-as-of position (unknown user → 'unknown').
 */
@Controller()
export class VerdictsProcessor {
  @ViewHandler({
    view: VERDICTS_VIEW,
    topic: Topics.orderValidations,
    joins: [USERS_VIEW],
    tables: ['seen_verdicts', 'verdict_totals', 'rollups'],
  })
  async onVerdicts(@Payload() chunk: ViewChunk<OrderVerdictEvent>): Promise<void> {
    const events = chunk.firstPerKey(); // one verdict per order (the topic's key): countVerdicts expects that
    if (events.length === 0) return;
    const regions = await readUsersAsOf(
      chunk.tx,
      USERS_VIEW_TABLE,
      events.map((e) => ({ key: e.payload.userId, asOf: chunk.usersAsOf(e.payload.orderId) })),
      ['region'],
    );
    const verdicts = countVerdicts(events, (_, i) => regions[i]);
    const contributions = verdicts.flatMap((v) => v.contributions.map((c) => ({ orderId: v.orderId, ...c })));
    await chunk.tx.$executeRawUnsafe(
      APPLY_SQL,
      verdicts.map((v) => v.orderId),
      verdicts.map((v) => v.eventId),
      verdicts.map((v) => v.outcome),
      verdicts.map((v) => v.userId),
      verdicts.map((v) => v.region),
      verdicts.map((v) => v.placedAt),
      verdicts.map((v) => String(v.totalCents)),
      contributions.map((c) => c.orderId),
      contributions.map((c) => c.windowSize),
      contributions.map((c) => c.windowStart.toISOString()),
      contributions.map((c) => c.dimension),
      contributions.map((c) => c.dimensionValue),
      contributions.map((c) => c.count.toString()),
      contributions.map((c) => c.revenue.toString()),
    );
  }
}
