import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, type OrderVerdictEvent } from '@shop/contracts';
import { ViewChunk, ViewHandler } from '@shop/nest-platform';
import { USERS_VIEW } from '../../users/infra/users.view';
import { alertEnvelope, validatedOrders } from '../domain/fraud-events';
import { evaluateOrders, windowDeltas, windowsBeforeChunk } from '../domain/fraud-rules';
import { alertsToProduce, touchedWindows, windowAlertViews } from '../domain/window-alerts';
import { addToWindows, FRAUD_TABLES, insertAlerts, insertFreshOrders, ordersOfAlertedWindows, updateAlertViews } from './fraud.repository';

/** Name of the processor: its positions in kafka_consumer_offsets and (with the service) its consumer group. */
export const VERDICTS_VIEW = 'verdicts';

/**
 * The verdicts processor: `order-validations` (OrderValidated only) joined with the versioned users view (each
 * order's user as of its verdict's users-as-of position). Per chunk, in the view's transaction (the platform
 * has waited for the users view): dedupe orders by orderId → add the
 * new ones to their windows (totals before the chunk come back under the row lock) → the pure rules →
 * insert the alerts (ON CONFLICT DO NOTHING) → rewrite the view of the touched windows' alerts to the
 * crossing order by event time → produce FraudAlertRaised for the new and the rewritten ones, as the view
 * has them (alertsToProduce), and await the ack, so the commit (rows + position) happens only after the
 * broker has them.
 *
 * The rewrite runs after the window rows were upserted: their row locks serialize every transaction adding
 * to a window, and under READ COMMITTED it sees every order committed before, so the last writer of a window
 * leaves the final view.
 */
@Controller()
export class VerdictsProcessor {
  @ViewHandler({
    view: VERDICTS_VIEW,
    topic: Topics.orderValidations,
    joins: [USERS_VIEW],
    produces: [Topics.fraudAlerts],
    tables: FRAUD_TABLES,
    span: 'fraud-detection: raise alert',
  })
  async onVerdicts(@Payload() chunk: ViewChunk<OrderVerdictEvent>): Promise<void> {
    const orders = validatedOrders(chunk.firstPerKey());
    if (orders.length === 0) return;
    const { fresh, users } = await insertFreshOrders(
      chunk.tx,
      orders.map((o) => ({ ...o, usersAsOf: chunk.usersAsOf(o.orderId) })),
    );
    if (fresh.length === 0) return; // all redeliveries

    const deltas = windowDeltas(fresh);
    const before = windowsBeforeChunk(deltas, await addToWindows(chunk.tx, deltas));
    const alerts = evaluateOrders(fresh, (o) => users.get(o.orderId), before);
    const inserted = await insertAlerts(chunk.tx, alerts);
    const windows = touchedWindows(deltas);
    const views = windowAlertViews(windows, await ordersOfAlertedWindows(chunk.tx, windows));
    const rewritten = await updateAlertViews(chunk.tx, views);

    const produced = alertsToProduce(
      alerts.filter((a) => inserted.has(a.alertId)),
      views,
      rewritten,
    );
    await chunk.produce(
      Topics.fraudAlerts,
      produced.map((a) => ({ key: a.orderId, value: alertEnvelope(a) })),
      { rules: [...new Set(produced.map((a) => a.rule))] },
    );
  }
}
