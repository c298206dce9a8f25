import type { Pool } from 'pg';
import { migrate, type Migration } from '@platform/event-store';

/**
 * Read model of the customer detailed dashboard (F14):
 * - `reporting_dashboard`: one row per customer with telemetry, its folded state (jsonb);
 * - `reporting_dashboard_findings`: unusual-activity findings with their suspicious files
 *   (the dashboard lists the newest, the XLSX export all of them);
 * - `reporting_dashboard_subscriptions`, `reporting_dashboard_services`: products & subscriptions,
 *   from the subscriptions service's integration events (inbox consumer).
 * A dashboard read is one statement over these tables.
 */
export const dashboardMigrations: Migration[] = [
  {
    id: '001_dashboard',
    sql: `
      CREATE TABLE reporting_dashboard (
        customer_id text PRIMARY KEY,
        partner_id text NOT NULL,
        state jsonb NOT NULL,
        health text NOT NULL
      );
      CREATE TABLE reporting_dashboard_findings (
        customer_id text NOT NULL,
        finding_id text NOT NULL,
        detected_at timestamptz NOT NULL,
        workspace_type text NOT NULL,
        workspace text NOT NULL,
        activity text NOT NULL,
        ransomware_suspected boolean NOT NULL,
        status text NOT NULL,
        suspicious_files jsonb NOT NULL,
        file_count integer NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (customer_id, finding_id)
      );
      CREATE INDEX reporting_dashboard_findings_recent ON reporting_dashboard_findings (customer_id, detected_at DESC);
      CREATE TABLE reporting_dashboard_subscriptions (
        subscription_id text PRIMARY KEY,
        customer_id text NOT NULL,
        partner_id text NOT NULL,
        service_code text NOT NULL,
        plan text NOT NULL,
        quantity integer NOT NULL,
        unit text NOT NULL,
        term_ends_at timestamptz NOT NULL,
        pooled boolean NOT NULL,
        expired boolean NOT NULL DEFAULT false,
        changed_at timestamptz NOT NULL
      );
      CREATE INDEX reporting_dashboard_subscriptions_customer ON reporting_dashboard_subscriptions (customer_id);
      CREATE TABLE reporting_dashboard_services (
        customer_id text NOT NULL,
        service_code text NOT NULL,
        state text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (customer_id, service_code)
      );`,
  },
];

export async function migrateDashboard(pool: Pool): Promise<void> {
  await migrate(pool, 'reporting-dashboard', dashboardMigrations);
}

/** Tables the projection writes (a rebuild empties them); the subscription tables belong to the consumer. */
export const DASHBOARD_PROJECTION_TABLES = ['reporting_dashboard', 'reporting_dashboard_findings'];
