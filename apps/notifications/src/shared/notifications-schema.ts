import type { Pool } from 'pg';
import { migrate, type Migration } from '@platform/event-store';

/** Every table of the notifications service (prefixed `notifications_`: they share the embedded database). */
export const NOTIFICATIONS_MIGRATIONS: Migration[] = [
  {
    id: '001_outbox',
    sql: `
      -- One row per email to send: written in the transaction that records the triggering
      -- event in the inbox, so a redelivered event finds its row (event, recipient, kind) and adds nothing.
      CREATE TABLE IF NOT EXISTS notifications_outbox (
        id              uuid        PRIMARY KEY,
        event_id        text        NOT NULL,
        recipient       text        NOT NULL,
        kind            text        NOT NULL,
        partner_id      text        NOT NULL,
        customer_id     text,
        language        text        NOT NULL,
        subject         text        NOT NULL,
        html            text,
        text_body       text,
        status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'parked')),
        attempts        integer     NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error      text,
        triggered_at    timestamptz NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        sent_at         timestamptz,
        UNIQUE (event_id, recipient, kind)
      );
      CREATE INDEX IF NOT EXISTS notifications_outbox_due ON notifications_outbox (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX IF NOT EXISTS notifications_outbox_customer ON notifications_outbox (customer_id);
      CREATE INDEX IF NOT EXISTS notifications_outbox_partner_status ON notifications_outbox (partner_id, status, created_at);

      -- What this service knows of each customer, from customers.events.v1 in log order.
      CREATE TABLE IF NOT EXISTS notifications_customers (
        customer_id        text        PRIMARY KEY,
        partner_id         text        NOT NULL,
        organization_name  text,
        locale             text        NOT NULL DEFAULT 'en',
        status             text        NOT NULL,
        billing_enabled    boolean     NOT NULL DEFAULT false,
        billing_profile_id text,
        job_profile_id     text,
        updated_at         timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS notifications_customers_billing ON notifications_customers (billing_profile_id) WHERE billing_enabled;
      CREATE INDEX IF NOT EXISTS notifications_customers_job ON notifications_customers (job_profile_id);

      -- Customer addresses that receive reports, and whether they were verified (F15).
      CREATE TABLE IF NOT EXISTS notifications_report_recipients (
        customer_id  text        NOT NULL,
        email        text        NOT NULL,
        partner_id   text        NOT NULL,
        purposes     text[]      NOT NULL,
        status       text        NOT NULL CHECK (status IN ('pending', 'verified')),
        token_id     uuid        NOT NULL UNIQUE,
        requested_at timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL,
        verified_at  timestamptz,
        PRIMARY KEY (customer_id, email)
      );

      -- The embedded mail catcher's messages (embedded mode without SMTP_URL only).
      CREATE TABLE IF NOT EXISTS notifications_dev_mailbox (
        id          bigserial   PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now(),
        mail_from   text,
        rcpt_to     text[]      NOT NULL,
        raw         text        NOT NULL
      );`,
  },
  {
    id: '002_profiles',
    sql: `
      CREATE TABLE IF NOT EXISTS notifications_billing_profiles (
        id          uuid        PRIMARY KEY,
        partner_id  text        NOT NULL,
        name        text        NOT NULL,
        frequency   text        NOT NULL,
        send_day    integer     NOT NULL,
        send_month  integer,
        version     integer     NOT NULL,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS notifications_billing_profiles_partner ON notifications_billing_profiles (partner_id, name);

      CREATE TABLE IF NOT EXISTS notifications_job_notification_profiles (
        id               uuid        PRIMARY KEY,
        partner_id       text        NOT NULL,
        name             text        NOT NULL,
        outcomes         text[]      NOT NULL,
        recipients       text[]      NOT NULL,
        interval_minutes integer     NOT NULL,
        locale           text        NOT NULL,
        version          integer     NOT NULL,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS notifications_job_profiles_partner ON notifications_job_notification_profiles (partner_id, name);

      -- A billing period that was handled for a profile: the unique key makes each period fire once, across restarts.
      CREATE TABLE IF NOT EXISTS notifications_billing_runs (
        profile_id uuid        NOT NULL,
        period     text        NOT NULL,
        ran_at     timestamptz NOT NULL DEFAULT now(),
        emails     integer     NOT NULL,
        PRIMARY KEY (profile_id, period)
      );

      -- Job results waiting for the customer's next digest, and when each (customer, profile) last got one.
      CREATE TABLE IF NOT EXISTS notifications_job_results (
        event_id    text        PRIMARY KEY,
        partner_id  text        NOT NULL,
        customer_id text        NOT NULL,
        product     text        NOT NULL,
        outcome     text        NOT NULL,
        job_name    text,
        finished_at timestamptz NOT NULL,
        digested_at timestamptz
      );
      CREATE INDEX IF NOT EXISTS notifications_job_results_waiting ON notifications_job_results (customer_id) WHERE digested_at IS NULL;
      CREATE TABLE IF NOT EXISTS notifications_job_digests (
        customer_id  text        NOT NULL,
        profile_id   uuid        NOT NULL,
        last_sent_at timestamptz NOT NULL,
        PRIMARY KEY (customer_id, profile_id)
      );

      -- Subscriptions of each customer (subscriptions.events.v1), listed in billing reports.
      CREATE TABLE IF NOT EXISTS notifications_customer_subscriptions (
        subscription_id text        PRIMARY KEY,
        customer_id     text        NOT NULL,
        service_code    text        NOT NULL,
        plan            text        NOT NULL,
        quantity        integer     NOT NULL,
        unit            text        NOT NULL,
        term_ends_at    timestamptz NOT NULL,
        expired         boolean     NOT NULL DEFAULT false
      );
      CREATE INDEX IF NOT EXISTS notifications_customer_subscriptions_customer ON notifications_customer_subscriptions (customer_id);`,
  },
];

export async function migrateNotifications(pool: Pool): Promise<string[]> {
  return migrate(pool, 'notifications', NOTIFICATIONS_MIGRATIONS);
}
