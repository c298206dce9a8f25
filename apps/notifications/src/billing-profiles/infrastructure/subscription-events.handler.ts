import type { PoolClient } from 'pg';
import type { IntegrationEvent } from '@platform/contracts';

interface SubscriptionData {
  subscriptionId: string;
  serviceCode: string;
  plan: string;
  quantity: number;
  unit: string;
  termEndsAt: string;
}

async function upsert(tx: PoolClient, customerId: string, s: SubscriptionData): Promise<void> {
  await tx.query(
    `INSERT INTO notifications_customer_subscriptions (subscription_id, customer_id, service_code, plan, quantity, unit, term_ends_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (subscription_id) DO UPDATE SET service_code = EXCLUDED.service_code, plan = EXCLUDED.plan,
       quantity = EXCLUDED.quantity, unit = EXCLUDED.unit, term_ends_at = EXCLUDED.term_ends_at`,
    [s.subscriptionId, customerId, s.serviceCode, s.plan, s.quantity, s.unit, s.termEndsAt],
  );
}

/**
 * subscriptions.events.v1 (inbox consumer `notifications.subscriptions`): each customer's
 * subscriptions, listed in its billing reports. A disconnected customer's are ignored.
 */
export async function handleSubscriptionEvent(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  if (event.type !== 'ServicesAdded' && event.type !== 'SubscriptionChanged' && event.type !== 'SubscriptionExpired') return;
  const { rows } = await tx.query<{ status: string }>('SELECT status FROM notifications_customers WHERE customer_id = $1', [event.subject]);
  if (rows[0]?.status === 'disconnected') return;
  switch (event.type) {
    case 'ServicesAdded':
      for (const s of event.data.subscriptions) await upsert(tx, event.subject, s);
      return;
    case 'SubscriptionChanged':
      return upsert(tx, event.subject, event.data);
    case 'SubscriptionExpired':
      await tx.query('UPDATE notifications_customer_subscriptions SET expired = true WHERE subscription_id = $1', [event.data.subscriptionId]);
      return;
  }
}

/** The customer's current (not expired) subscriptions as billing report lines. */
export async function billableServices(db: Pick<PoolClient, 'query'>, customerId: string): Promise<Array<{ name: string; quantity: string }>> {
  const { rows } = await db.query<{ service_code: string; plan: string; quantity: number; unit: string }>(
    `SELECT service_code, plan, quantity, unit FROM notifications_customer_subscriptions
      WHERE customer_id = $1 AND NOT expired ORDER BY service_code, subscription_id`,
    [customerId],
  );
  return rows.map((r) => ({ name: `${r.service_code}${r.plan === 'trial' ? ' (trial)' : ''}`, quantity: `${r.quantity} ${r.unit}` }));
}
