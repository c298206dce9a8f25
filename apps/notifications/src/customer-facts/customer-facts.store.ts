import type { Queryable } from '../emails/infrastructure/email-outbox';

export type CustomerStatus = 'invited' | 'active' | 'revoked' | 'disconnected';

/** What notifications needs to know of a customer (from customers.events.v1, in log order). */
export interface CustomerFacts {
  customerId: string;
  partnerId: string;
  organizationName: string | null;
  locale: string;
  status: CustomerStatus;
  billingEnabled: boolean;
  billingProfileId: string | null;
  jobNotificationProfileId: string | null;
}

interface Row {
  customer_id: string;
  partner_id: string;
  organization_name: string | null;
  locale: string;
  status: CustomerStatus;
  billing_enabled: boolean;
  billing_profile_id: string | null;
  job_profile_id: string | null;
}

const toFacts = (r: Row): CustomerFacts => ({
  customerId: r.customer_id,
  partnerId: r.partner_id,
  organizationName: r.organization_name,
  locale: r.locale,
  status: r.status,
  billingEnabled: r.billing_enabled,
  billingProfileId: r.billing_profile_id,
  jobNotificationProfileId: r.job_profile_id,
});

const COLUMNS = 'customer_id, partner_id, organization_name, locale, status, billing_enabled, billing_profile_id, job_profile_id';

/**
 * The service's own customer facts (`notifications_customers`), written by the customers-topic
 * consumer inside the same transaction as the emails an event causes, so an email always sees
 * the facts of the events before it. Disconnected customers keep only id, partner and status.
 */
export class CustomerFactsStore {
  async get(db: Queryable, customerId: string): Promise<CustomerFacts | undefined> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM notifications_customers WHERE customer_id = $1`, [customerId]);
    return rows[0] ? toFacts(rows[0]) : undefined;
  }

  /** Undefined for another partner's customer, an unknown or a disconnected one (answer 404). */
  async getForPartner(db: Queryable, partnerId: string, customerId: string): Promise<CustomerFacts | undefined> {
    const facts = await this.get(db, customerId);
    return facts && facts.partnerId === partnerId && facts.status !== 'disconnected' ? facts : undefined;
  }

  async withBillingProfile(db: Queryable, profileId: string): Promise<CustomerFacts[]> {
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM notifications_customers
        WHERE billing_enabled AND billing_profile_id = $1 AND status <> 'disconnected' ORDER BY customer_id`,
      [profileId],
    );
    return rows.map(toFacts);
  }

  async invited(
    db: Queryable,
    f: { customerId: string; partnerId: string; organizationName: string; locale: string | undefined },
  ): Promise<void> {
    await db.query(
      `INSERT INTO notifications_customers (customer_id, partner_id, organization_name, locale, status)
       VALUES ($1, $2, $3, $4, 'invited')
       ON CONFLICT (customer_id) DO NOTHING`,
      [f.customerId, f.partnerId, f.organizationName, f.locale ?? 'en'],
    );
  }

  async setStatus(db: Queryable, customerId: string, status: CustomerStatus): Promise<void> {
    await db.query(`UPDATE notifications_customers SET status = $2, updated_at = now() WHERE customer_id = $1 AND status <> 'disconnected'`, [
      customerId,
      status,
    ]);
  }

  async update(
    db: Queryable,
    customerId: string,
    changes: {
      organizationName?: string;
      locale?: string;
      billingEnabled?: boolean;
      billingProfileId?: string | null;
      jobNotificationProfileId?: string | null;
    },
  ): Promise<void> {
    await db.query(
      `UPDATE notifications_customers SET
          organization_name  = CASE WHEN $2 THEN $3 ELSE organization_name END,
          locale             = CASE WHEN $4 THEN $5 ELSE locale END,
          billing_enabled    = CASE WHEN $6 THEN $7 ELSE billing_enabled END,
          billing_profile_id = CASE WHEN $8 THEN $9 ELSE billing_profile_id END,
          job_profile_id     = CASE WHEN $10 THEN $11 ELSE job_profile_id END,
          updated_at = now()
        WHERE customer_id = $1 AND status <> 'disconnected'`,
      [
        customerId,
        changes.organizationName !== undefined,
        changes.organizationName ?? null,
        changes.locale !== undefined,
        changes.locale ?? 'en',
        changes.billingEnabled !== undefined,
        changes.billingEnabled ?? false,
        changes.billingProfileId !== undefined,
        changes.billingProfileId ?? null,
        changes.jobNotificationProfileId !== undefined,
        changes.jobNotificationProfileId ?? null,
      ],
    );
  }

  /** CustomerDisconnected: personal and business facts go; the row stays so late events are ignored. */
  async disconnected(db: Queryable, customerId: string, partnerId: string): Promise<void> {
    await db.query(
      `INSERT INTO notifications_customers (customer_id, partner_id, status) VALUES ($1, $2, 'disconnected')
       ON CONFLICT (customer_id) DO UPDATE SET status = 'disconnected', organization_name = NULL, billing_enabled = false,
         billing_profile_id = NULL, job_profile_id = NULL, updated_at = now()`,
      [customerId, partnerId],
    );
  }
}
