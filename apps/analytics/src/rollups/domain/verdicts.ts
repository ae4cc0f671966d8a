import type { OrderVerdictEvent, VerdictStatus } from '@shop/contracts';
import { orderContributions, regionOf, type Contribution } from './rollups';

/** One verdict as the verdicts processor records it (its dedupe row) and what it adds to the roll-ups. */
export interface CountedVerdict {
  readonly orderId: string;
  readonly eventId: string;
  readonly outcome: VerdictStatus;
  readonly userId: string;
  readonly region: string;
  readonly placedAt: string;
  /** The order's total for a validated order; 0 for a rejected one (it has no revenue). */
  readonly totalCents: number;
  /** Roll-up contributions: only validated orders have any. */
  readonly contributions: readonly Contribution[];
}

/**
 * A chunk of verdicts, one per orderId (the processor drops redeliveries inside the chunk), with each
 * order's region taken from `userOf` (the user as of the verdict; unknown user → 'unknown'). Whether an
 * order was already counted in an earlier chunk is the database's call (seen_verdicts).
 */
export function countVerdicts(
  events: readonly OrderVerdictEvent[],
  userOf: (event: OrderVerdictEvent, index: number) => { readonly region: string } | undefined,
): CountedVerdict[] {
  return events.map((event, index) => {
    const region = regionOf(userOf(event, index));
    const common = {
      orderId: event.payload.orderId,
      eventId: event.id,
      userId: event.payload.userId,
      region,
      placedAt: event.payload.placedAt,
    };
    if (event.type === 'OrderValidated') {
      return {
        ...common,
        outcome: 'validated',
        totalCents: event.payload.totalCents,
        contributions: orderContributions(event.payload, region),
      };
    }
    return { ...common, outcome: 'rejected', totalCents: 0, contributions: [] };
  });
}
