import type { Address, OrderStatus, RejectionReason } from '@shop/contracts';

/** An order as GET /orders/:id shows it. */
export interface OrderStatusView {
  readonly orderId: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly reasons: readonly RejectionReason[];
  readonly placedAt: string;
  /** Event time of the verdict (the order's placedAt); null while placed. */
  readonly verdictAt: string | null;
  /** Where a validated order ships; null otherwise. */
  readonly shippingAddress: Address | null;
  readonly links: { readonly self: string };
}

export const orderLink = (orderId: string): string => `/orders/${encodeURIComponent(orderId)}`;

/** True once the order has a verdict: waiting for it is over. */
export const hasVerdict = (view: OrderStatusView): boolean => view.status !== 'placed';
