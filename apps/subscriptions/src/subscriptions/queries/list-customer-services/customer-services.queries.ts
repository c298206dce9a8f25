import type { Pool } from 'pg';
import type { Queryable } from '@platform/customer-directory';
import type { SubscriptionState } from '../../domain/subscription.decider';

export interface CustomerServiceRow {
  subscriptionId: string;
  state: SubscriptionState;
  version: number;
}

/** Reads of the customer-services read model (subscriptions_services, subscriptions_view_settings). */
export class CustomerServicesQueries {
  constructor(private readonly pool: Pool) {}

  async services(customerId: string, options: { includeExpired?: boolean; serviceCode?: string } = {}, db: Queryable = this.pool): Promise<CustomerServiceRow[]> {
    const { rows } = await db.query<{ subscription_id: string; state: SubscriptionState; version: number }>(
      `SELECT subscription_id, state, version FROM subscriptions_services
       WHERE customer_id = $1 AND ($2::boolean OR status <> 'expired') AND ($3::text IS NULL OR service_code = $3)
       ORDER BY service_code, created_at, subscription_id`,
      [customerId, options.includeExpired ?? true, options.serviceCode ?? null],
    );
    return rows.map((r) => ({ subscriptionId: r.subscription_id, state: r.state, version: r.version }));
  }

  /** Subscriptions whose provisioning is in progress (what a customer's lifecycle change stops). */
  async inProgress(customerId: string, db: Queryable = this.pool): Promise<string[]> {
    const { rows } = await db.query<{ subscription_id: string }>(
      `SELECT subscription_id FROM subscriptions_services WHERE customer_id = $1 AND provisioning_state = 'in-progress'`,
      [customerId],
    );
    return rows.map((r) => r.subscription_id);
  }

  async expiredHidden(customerId: string): Promise<{ hidden: boolean; version: number }> {
    const { rows } = await this.pool.query<{ hide_expired: boolean; version: number }>(
      'SELECT hide_expired, version FROM subscriptions_view_settings WHERE customer_id = $1',
      [customerId],
    );
    return rows.length === 0 ? { hidden: false, version: 0 } : { hidden: rows[0].hide_expired, version: rows[0].version };
  }
}
