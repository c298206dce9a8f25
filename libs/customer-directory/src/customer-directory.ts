import type { Pool, PoolClient } from 'pg';
import { type IntegrationEvent, type IntegrationEventOf } from '@platform/contracts';
import { migrate } from '@platform/event-store';
import type { InboxHandler } from '@platform/messaging';

/** Something that runs SQL: the pool, or a transaction's client (read inside your own transaction). */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

export type DirectoryCustomerStatus = 'invited' | 'active' | 'revoked' | 'disconnected';

/** What a service knows of one customer of the customers service (from its integration events). */
export interface DirectoryCustomer {
  customerId: string;
  partnerId: string;
  organizationName: string | null;
  primaryDomain: string | null;
  countryCode: string | null;
  /** 'en' when unknown. */
  locale: string;
  status: DirectoryCustomerStatus;
  managementMode: 'partner' | 'customer';
  tags: string[];
  contactEmail: string | null;
  serviceReports: { enabled: boolean; recipients: string[] };
  billingReports: { enabled: boolean; recipients: string[]; billingProfileId: string | null };
  jobNotificationProfileId: string | null;
  invitedAt: string;
  updatedAt: string;
  disconnectedAt: string | null;
}

export interface CustomerDirectoryOptions {
  /** Table of this service's copy, e.g. `subscriptions_customer_directory` (lower-case SQL identifier). */
  table: string;
}

export interface ListForPartnerOptions {
  /** Only these customers (unknown ids and other partners' customers are left out). */
  customerIds?: string[];
  /** Also customers whose relationship was removed (default false). */
  includeDisconnected?: boolean;
}

/** A table name becomes part of SQL text: only plain lower-case identifiers are accepted. */
export const DIRECTORY_TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const DEFAULT_WAIT_MS = 5_000;
const WAIT_POLL_MS = 10;

interface Row {
  customer_id: string;
  partner_id: string;
  organization_name: string | null;
  primary_domain: string | null;
  country_code: string | null;
  locale: string | null;
  status: DirectoryCustomerStatus;
  management_mode: 'partner' | 'customer';
  tags: string[] | null;
  contact_email: string | null;
  service_reports_enabled: boolean;
  service_reports_recipients: string[];
  billing_reports_enabled: boolean;
  billing_reports_recipients: string[];
  billing_profile_id: string | null;
  job_notification_profile_id: string | null;
  invited_at: Date | string;
  updated_at: Date | string;
  disconnected_at: Date | string | null;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

function toCustomer(r: Row): DirectoryCustomer {
  return {
    customerId: r.customer_id,
    partnerId: r.partner_id,
    organizationName: r.organization_name,
    primaryDomain: r.primary_domain,
    countryCode: r.country_code,
    locale: r.locale ?? 'en',
    status: r.status,
    managementMode: r.management_mode,
    tags: r.tags ?? [],
    contactEmail: r.contact_email,
    serviceReports: { enabled: r.service_reports_enabled, recipients: r.service_reports_recipients },
    billingReports: {
      enabled: r.billing_reports_enabled,
      recipients: r.billing_reports_recipients,
      billingProfileId: r.billing_profile_id,
    },
    jobNotificationProfileId: r.job_notification_profile_id,
    invitedAt: iso(r.invited_at),
    updatedAt: iso(r.updated_at),
    disconnectedAt: r.disconnected_at === null ? null : iso(r.disconnected_at),
  };
}

/**
 * A service's local view of the customers service's customers, fed by `customers.events.v1`
 * through `handler` (an inbox handler: effects are written with the inbox's transaction, so each
 * event lands exactly once). Other services read customer facts here, never the customers
 * service's tables.
 *
 * Applied events: CustomerInvited, InvitationResent (contact email, locale), InvitationAccepted,
 * InvitationRevoked, CustomerUpdated, ManagementModeChanged, CustomerTagsChanged,
 * CustomerDisconnected; every other type is ignored.
 *
 * Defensive rules (events of one customer arrive in order, as Kafka keys them by customer id,
 * but the directory may start late or a message may come twice):
 * - an event other than CustomerInvited for an unknown customer creates a minimal row (partner
 *   from the envelope, status `active` unless the event says otherwise, `invitedAt` = the event
 *   time, descriptive fields null/unknown) and applies the event to it, so the customer is found
 *   rather than 404; a later CustomerInvited then only fills what is still unknown;
 * - a repeated CustomerInvited never resets status, mode, tags, settings or timestamps;
 * - `disconnected` is final: contact email and report recipients are erased and no later event
 *   brings personal data back or changes the status.
 * Nullable columns mean "not known yet" (tags, locale): a CustomerInvited fills only those.
 */
export class CustomerDirectory {
  readonly table: string;
  /** InboxHandler for Topics.customers (see the class comment for what it applies). */
  readonly handler: InboxHandler;
  /** What `handler` applies (the cases of `apply`); the consumer ignores the rest without a transaction. */
  readonly eventTypes = [
    'CustomerInvited',
    'InvitationResent',
    'InvitationAccepted',
    'InvitationRevoked',
    'ManagementModeChanged',
    'CustomerTagsChanged',
    'CustomerUpdated',
    'CustomerDisconnected',
  ] as const;

  constructor(
    private readonly pool: Pool,
    options: CustomerDirectoryOptions,
  ) {
    if (typeof options?.table !== 'string' || !DIRECTORY_TABLE_NAME.test(options.table)) {
      throw new Error(
        `customer-directory: invalid table name ${JSON.stringify(options?.table)} (expected ${DIRECTORY_TABLE_NAME.source})`,
      );
    }
    this.table = options.table;
    this.handler = (event, tx) => this.apply(event, tx);
  }

  /** Creates the table and its partner index when missing (idempotent, safe when several processes start at once). */
  async migrate(): Promise<void> {
    const t = this.table;
    await migrate(this.pool, `customer-directory:${t}`, [
      {
        id: '001_customer_directory',
        sql: `
          CREATE TABLE IF NOT EXISTS ${t} (
            customer_id text PRIMARY KEY,
            partner_id text NOT NULL,
            organization_name text,
            primary_domain text,
            country_code text,
            locale text,
            status text NOT NULL,
            management_mode text NOT NULL DEFAULT 'partner',
            tags text[],
            contact_email text,
            service_reports_enabled boolean NOT NULL DEFAULT false,
            service_reports_recipients text[] NOT NULL DEFAULT '{}',
            billing_reports_enabled boolean NOT NULL DEFAULT false,
            billing_reports_recipients text[] NOT NULL DEFAULT '{}',
            billing_profile_id text,
            job_notification_profile_id text,
            invited_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            disconnected_at timestamptz
          );
          CREATE INDEX IF NOT EXISTS ${t.slice(0, 50)}_partner_idx ON ${t} (partner_id);`,
      },
    ]);
  }

  async get(customerId: string, db: Queryable = this.pool): Promise<DirectoryCustomer | undefined> {
    const { rows } = await db.query<Row>(`SELECT * FROM ${this.table} WHERE customer_id = $1`, [customerId]);
    return rows[0] ? toCustomer(rows[0]) : undefined;
  }

  /**
   * A scalar subquery giving the partner's customer as JSON (or NULL), for a read that fetches it
   * with other data in one round trip; `customerParam` / `partnerParam` are the statement's
   * placeholders (`$1`). Turn the value into a DirectoryCustomer with `fromJson`.
   */
  partnerCustomerJsonSql(customerParam: string, partnerParam: string): string {
    return `(SELECT row_to_json(d) FROM ${this.table} d WHERE d.customer_id = ${customerParam} AND d.partner_id = ${partnerParam})`;
  }

  /** The value of `partnerCustomerJsonSql` (undefined for NULL: unknown, or another partner's). */
  fromJson(value: unknown): DirectoryCustomer | undefined {
    return value ? toCustomer(value as Row) : undefined;
  }

  /** undefined when the customer belongs to another partner (answer 404) or is unknown. */
  async getForPartner(partnerId: string, customerId: string, db: Queryable = this.pool): Promise<DirectoryCustomer | undefined> {
    const { rows } = await db.query<Row>(`SELECT * FROM ${this.table} WHERE customer_id = $1 AND partner_id = $2`, [
      customerId,
      partnerId,
    ]);
    return rows[0] ? toCustomer(rows[0]) : undefined;
  }

  /** The partner's customers by organization name (unknown names last), then id. */
  async listForPartner(partnerId: string, options: ListForPartnerOptions = {}, db: Queryable = this.pool): Promise<DirectoryCustomer[]> {
    const params: unknown[] = [partnerId];
    const where = ['partner_id = $1'];
    if (options.customerIds !== undefined) {
      if (options.customerIds.length === 0) return [];
      params.push(options.customerIds);
      where.push(`customer_id = ANY($${params.length}::text[])`);
    }
    if (!options.includeDisconnected) where.push(`status <> 'disconnected'`);
    const { rows } = await db.query<Row>(
      `SELECT * FROM ${this.table} WHERE ${where.join(' AND ')} ORDER BY organization_name NULLS LAST, customer_id`,
      params,
    );
    return rows.map(toCustomer);
  }

  /** Resolves once `predicate(customer)` holds; rejects after `timeoutMs` (default 5 s). Polls every 10 ms. */
  async waitFor(
    customerId: string,
    predicate: (c: DirectoryCustomer | undefined) => boolean,
    timeoutMs: number = DEFAULT_WAIT_MS,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const customer = await this.get(customerId);
      if (predicate(customer)) return;
      if (Date.now() >= deadline) {
        const seen = customer ? `status ${customer.status}, updated ${customer.updatedAt}` : 'unknown customer';
        throw new Error(
          `customer-directory ${this.table}: customer ${customerId} did not reach the expected state within ${timeoutMs} ms (last seen: ${seen})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  private async apply(event: IntegrationEvent, tx: PoolClient): Promise<void> {
    switch (event.type) {
      case 'CustomerInvited':
        return this.invited(event, tx);
      case 'InvitationResent':
        return this.update(event, tx, {
          contact_email: event.data.contactEmail,
          ...(event.data.locale !== undefined ? { locale: event.data.locale } : {}),
        });
      case 'InvitationAccepted':
        return this.update(event, tx, { status: 'active' });
      case 'InvitationRevoked':
        return this.update(event, tx, { status: 'revoked' });
      case 'ManagementModeChanged':
        return this.update(event, tx, { management_mode: event.data.mode });
      case 'CustomerTagsChanged':
        return this.update(event, tx, { tags: event.data.tags });
      case 'CustomerUpdated':
        return this.updated(event, tx);
      case 'CustomerDisconnected':
        return this.disconnected(event, tx);
      default:
        return;
    }
  }

  private async invited(event: IntegrationEventOf<'CustomerInvited'>, tx: PoolClient): Promise<void> {
    const d = event.data;
    // A row already there (a redelivery, or a minimal row made from a later event) keeps its
    // state: only what is still unknown is filled in.
    await tx.query(
      `INSERT INTO ${this.table} AS t
         (customer_id, partner_id, organization_name, primary_domain, country_code, locale, status, tags,
          contact_email, invited_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'invited', $7::text[], $8, $9, $9)
       ON CONFLICT (customer_id) DO UPDATE SET
         organization_name = coalesce(t.organization_name, EXCLUDED.organization_name),
         primary_domain = coalesce(t.primary_domain, EXCLUDED.primary_domain),
         country_code = coalesce(t.country_code, EXCLUDED.country_code),
         locale = coalesce(t.locale, EXCLUDED.locale),
         tags = coalesce(t.tags, EXCLUDED.tags),
         contact_email = CASE WHEN t.status = 'disconnected' THEN NULL ELSE coalesce(t.contact_email, EXCLUDED.contact_email) END,
         invited_at = least(t.invited_at, EXCLUDED.invited_at)`,
      [
        event.subject,
        event.partnerId,
        d.organizationName,
        d.primaryDomain,
        d.countryCode,
        d.locale ?? null,
        d.tags,
        d.contactEmail ?? null,
        event.time,
      ],
    );
  }

  private async updated(event: IntegrationEventOf<'CustomerUpdated'>, tx: PoolClient): Promise<void> {
    const c = event.data.changes;
    const set: Record<string, unknown> = {};
    if (c.organizationName !== undefined) set.organization_name = c.organizationName;
    if (c.countryCode !== undefined) set.country_code = c.countryCode;
    if (c.locale !== undefined) set.locale = c.locale;
    if (c.serviceReports !== undefined) {
      set.service_reports_enabled = c.serviceReports.enabled;
      set.service_reports_recipients = c.serviceReports.recipients;
    }
    if (c.billingReports !== undefined) {
      set.billing_reports_enabled = c.billingReports.enabled;
      set.billing_reports_recipients = c.billingReports.recipients;
      set.billing_profile_id = c.billingReports.billingProfileId ?? null;
    }
    if (c.jobNotificationProfileId !== undefined) set.job_notification_profile_id = c.jobNotificationProfileId;
    await this.update(event, tx, set);
  }

  private async disconnected(event: IntegrationEventOf<'CustomerDisconnected'>, tx: PoolClient): Promise<void> {
    await this.ensureRow(event, tx);
    await tx.query(
      `UPDATE ${this.table} SET status = 'disconnected', disconnected_at = $2::timestamptz,
              contact_email = NULL, service_reports_recipients = '{}', billing_reports_recipients = '{}',
              updated_at = greatest(updated_at, $2::timestamptz)
        WHERE customer_id = $1 AND status <> 'disconnected'`,
      [event.subject, event.time],
    );
  }

  /**
   * Applies `set` (column → value) to the customer, made minimal first if unknown (one
   * statement: a minimal row with `set` applied, or `set` on the row there); a disconnected
   * customer stays as it is.
   */
  private async update(event: IntegrationEvent, tx: PoolClient, set: Record<string, unknown>): Promise<void> {
    const row: Record<string, unknown> = { customer_id: event.subject, partner_id: event.partnerId, status: 'active', invited_at: event.time, updated_at: event.time, ...set };
    const columns = Object.keys(row);
    const values = columns.map((c, i) => `$${i + 1}${Array.isArray(row[c]) ? '::text[]' : ''}`);
    const assignments = Object.keys(set).map((c) => `${c} = EXCLUDED.${c}`);
    await tx.query(
      `INSERT INTO ${this.table} AS t (${columns.join(', ')}) VALUES (${values.join(', ')})
       ON CONFLICT (customer_id) DO UPDATE SET ${[...assignments, 'updated_at = greatest(t.updated_at, EXCLUDED.updated_at)'].join(', ')}
       WHERE t.status <> 'disconnected'`,
      Object.values(row),
    );
  }

  /** An event for a customer this directory has not seen invited: a minimal row, so it is known. */
  private async ensureRow(event: IntegrationEvent, tx: PoolClient): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} (customer_id, partner_id, status, invited_at, updated_at)
       VALUES ($1, $2, 'active', $3, $3) ON CONFLICT (customer_id) DO NOTHING`,
      [event.subject, event.partnerId, event.time],
    );
  }
}
