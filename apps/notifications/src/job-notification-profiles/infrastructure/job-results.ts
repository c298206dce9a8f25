import type { Queryable } from '../../emails/infrastructure/email-outbox';
import type { CustomerFactsStore } from '../../customer-facts/customer-facts.store';

/** One finished backup job of a customer, as reporting's telemetry announces it. */
export interface JobResult {
  /** The announcing event's id: a redelivered event records nothing new. */
  eventId: string;
  partnerId: string;
  customerId: string;
  product: string;
  outcome: string;
  jobName: string | null;
  finishedAt: string;
}

/**
 * Keeps a job result for the customer's next digest when its job notification profile asks for
 * that outcome (in the consumer's transaction). Returns whether it was kept.
 */
export async function recordJobResult(db: Queryable, facts: CustomerFactsStore, result: JobResult): Promise<boolean> {
  const customer = await facts.get(db, result.customerId);
  if (!customer || customer.status === 'disconnected' || !customer.jobNotificationProfileId) return false;
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM notifications_job_notification_profiles WHERE id::text = $1 AND partner_id = $2 AND $3 = ANY(outcomes)`,
    [customer.jobNotificationProfileId, customer.partnerId, result.outcome],
  );
  if (rows.length === 0) return false;
  const inserted = await db.query(
    `INSERT INTO notifications_job_results (event_id, partner_id, customer_id, product, outcome, job_name, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
    [result.eventId, result.partnerId, result.customerId, result.product, result.outcome, result.jobName, result.finishedAt],
  );
  return (inserted.rowCount ?? 0) > 0;
}
