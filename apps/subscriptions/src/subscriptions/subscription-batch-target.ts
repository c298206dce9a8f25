/**
 * The port the batch edit (F13) uses to edit one customer's pooled subscription.
 * Provided and exported by the subscriptions module under `SUBSCRIPTION_BATCH_TARGET`.
 */
export const SUBSCRIPTION_BATCH_TARGET = Symbol('SUBSCRIPTION_BATCH_TARGET');

export interface SubscriptionBatchChanges {
  quantity?: number;
  /** ISO 8601 UTC. */
  termEndsAt?: string;
  autoRenew?: boolean;
}

export interface SubscriptionBatchEditInput {
  batchId: string;
  partnerId: string;
  customerId: string;
  /** Catalogue code of the pooled service (`cloud-backup-m365`, …). */
  serviceCode: string;
  changes: SubscriptionBatchChanges;
  /** Event metadata (actor, correlation, causation …) recorded on the change. */
  metadata: Record<string, unknown>;
}

/**
 * Reason codes of a failed edit:
 * `CUSTOMER.NOT_FOUND` (unknown or another partner's), `CUSTOMER.NOT_ACTIVE`, `CUSTOMER.CUSTOMER_MANAGED`,
 * `SUBSCRIPTION.NOT_FOUND` (no pooled subscription of that service), `SUBSCRIPTION.EXPIRED`,
 * `SUBSCRIPTION.INVALID_CHANGE` (e.g. term end before its start, quantity out of range).
 */
export type SubscriptionBatchFailureReason =
  | 'CUSTOMER.NOT_FOUND'
  | 'CUSTOMER.NOT_ACTIVE'
  | 'CUSTOMER.CUSTOMER_MANAGED'
  | 'SUBSCRIPTION.NOT_FOUND'
  | 'SUBSCRIPTION.EXPIRED'
  | 'SUBSCRIPTION.INVALID_CHANGE';

export interface SubscriptionBatchEditResult {
  outcome: 'succeeded' | 'skipped' | 'failed';
  /** Set when skipped (`SUBSCRIPTION.NO_CHANGE`) or failed (a SubscriptionBatchFailureReason). */
  reason?: string;
  subscriptionId?: string;
}

export interface SubscriptionBatchTarget {
  /**
   * Edits the customer's pooled subscription of `serviceCode`. Idempotent per (batchId, customerId):
   * a replay after a crash returns 'succeeded' again without appending a new event.
   */
  applyBatchEdit(input: SubscriptionBatchEditInput): Promise<SubscriptionBatchEditResult>;
}
