import type { FraudRule } from '@shop/contracts';
import type { EvidenceValue } from '../../fraud/domain/fraud-rules';

/** An alert as the HTTP API shows it. */
export interface Alert {
  /** Contract-safe id (the `alertId` of FraudAlertRaised). */
  readonly alertId: string;
  /** The readable id of docs/services.md, also the envelope id on `fraud-alerts`. */
  readonly eventId: string;
  readonly rule: FraudRule;
  readonly userId: string;
  readonly orderId: string;
  readonly evidence: Readonly<Record<string, EvidenceValue>>;
  readonly raisedAt: string;
  readonly causationId: string;
}

export interface AlertPage {
  /** Alerts matching the filters, all pages together. */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** Newest first (raisedAt, then alertId, both descending). */
  readonly items: readonly Alert[];
}

/** Which alerts `GET /alerts` lists: optional filters and a page. */
export interface AlertQuery {
  readonly userId?: string;
  readonly rule?: FraudRule;
  readonly limit: number;
  readonly offset: number;
}
