/**
 * Events of the `batch-<id>` stream (F13): one batch edit of a pooled service for 1–20
 * customers, run to the end on the server by the process manager (ServiceBatchRunner). The
 * owning partner is `metadata.partnerId`. The edits themselves are recorded on the customers'
 * subscription streams; this stream records what was asked and each customer's result.
 */

export const SERVICE_BATCH_STREAM_CATEGORY = 'batch';
export const serviceBatchStreamId = (batchId: string): string => `${SERVICE_BATCH_STREAM_CATEGORY}-${batchId}`;

/** What one batch changes on each customer's pooled subscription (at least one field). */
export interface ServiceBatchChanges {
  quantity?: number;
  /** ISO 8601 UTC. */
  termEndsAt?: string;
  autoRenew?: boolean;
}

export const CUSTOMER_OUTCOMES = ['succeeded', 'failed', 'skipped'] as const;
export type CustomerOutcome = (typeof CUSTOMER_OUTCOMES)[number];

export type ServiceBatchStarted = {
  type: 'ServiceBatchStarted';
  data: { serviceCode: string; changes: ServiceBatchChanges; customerIds: string[] };
};

/** `attempt`: 1 for the first run, n + 1 for the n-th retry of the failed customers. */
export type ServiceBatchCustomerSucceeded = {
  type: 'ServiceBatchCustomerSucceeded';
  data: { customerId: string; attempt: number; subscriptionId: string | null };
};

export type ServiceBatchCustomerSkipped = {
  type: 'ServiceBatchCustomerSkipped';
  data: { customerId: string; attempt: number; reason: string; subscriptionId: string | null };
};

export type ServiceBatchCustomerFailed = {
  type: 'ServiceBatchCustomerFailed';
  data: { customerId: string; attempt: number; reason: string };
};

export type ServiceBatchRetryStarted = {
  type: 'ServiceBatchRetryStarted';
  data: { attempt: number; customerIds: string[] };
};

export type ServiceBatchCompleted = {
  type: 'ServiceBatchCompleted';
  data: { attempt: number; succeeded: number; failed: number; skipped: number };
};

export type ServiceBatchCustomerResultEvent = ServiceBatchCustomerSucceeded | ServiceBatchCustomerSkipped | ServiceBatchCustomerFailed;

export type ServiceBatchEvent = ServiceBatchStarted | ServiceBatchCustomerResultEvent | ServiceBatchRetryStarted | ServiceBatchCompleted;

export const SERVICE_BATCH_EVENT_TYPES: ReadonlyArray<ServiceBatchEvent['type']> = [
  'ServiceBatchStarted',
  'ServiceBatchCustomerSucceeded',
  'ServiceBatchCustomerSkipped',
  'ServiceBatchCustomerFailed',
  'ServiceBatchRetryStarted',
  'ServiceBatchCompleted',
];
