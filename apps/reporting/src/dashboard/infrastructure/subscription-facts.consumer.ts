import type { PoolClient } from 'pg';
import type { IntegrationEvent, SubscriptionV1 } from '@platform/contracts';

export const SUBSCRIPTION_FACTS_GROUP = 'reporting.dashboard-subscriptions';

async function upsertSubscription(tx: PoolClient, event: IntegrationEvent, s: SubscriptionV1, expired: boolean): Promise<void> {
  await tx.query(
    `INSERT INTO reporting_dashboard_subscriptions AS t (subscription_id, customer_id, partner_id, service_code, plan, quantity, unit,
       term_ends_at, pooled, expired, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (subscription_id) DO UPDATE SET service_code = EXCLUDED.service_code, plan = EXCLUDED.plan,
       quantity = EXCLUDED.quantity, unit = EXCLUDED.unit, term_ends_at = EXCLUDED.term_ends_at, pooled = EXCLUDED.pooled,
       expired = EXCLUDED.expired, changed_at = EXCLUDED.changed_at
     WHERE t.changed_at <= EXCLUDED.changed_at`,
    [s.subscriptionId, event.subject, event.partnerId, s.serviceCode, s.plan, s.quantity, s.unit, s.termEndsAt, s.pooled, expired, event.time],
  );
}

async function setServiceState(tx: PoolClient, event: IntegrationEvent, serviceCode: string, state: string, overwriteStarted: boolean): Promise<void> {
  await tx.query(
    `INSERT INTO reporting_dashboard_services AS t (customer_id, service_code, state, changed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (customer_id, service_code) DO UPDATE SET state = EXCLUDED.state, changed_at = EXCLUDED.changed_at
     WHERE t.changed_at <= EXCLUDED.changed_at ${overwriteStarted ? '' : `AND t.state <> 'started'`}`,
    [event.subject, serviceCode, state, event.time],
  );
}

/**
 * Products & subscriptions of the dashboard, from the subscriptions service's integration
 * events (an inbox handler: written with the inbox's transaction, once per event id). Changes
 * older than what a row holds are ignored, so redelivery and reordering do not go backwards.
 */
export async function applySubscriptionFact(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  switch (event.type) {
    case 'ServicesAdded':
      for (const s of event.data.subscriptions) await upsertSubscription(tx, event, s, false);
      return;
    case 'SubscriptionChanged':
      // An edit that moves the term end past the change makes the subscription current again.
      await upsertSubscription(tx, event, event.data, Date.parse(event.data.termEndsAt) <= Date.parse(event.time));
      return;
    case 'SubscriptionExpired':
      await tx.query(
        `UPDATE reporting_dashboard_subscriptions SET expired = true, changed_at = greatest(changed_at, $2)
         WHERE subscription_id = $1`,
        [event.data.subscriptionId, event.time],
      );
      return;
    case 'ServicesStarted':
      for (const s of event.data.services) await setServiceState(tx, event, s.serviceCode, s.state, true);
      return;
    case 'ServiceProvisioningFailed':
      await setServiceState(tx, event, event.data.serviceCode, 'failed', false);
      return;
    default:
      return;
  }
}
