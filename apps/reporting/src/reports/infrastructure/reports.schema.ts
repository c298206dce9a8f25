import type { Pool } from 'pg';
import { migrate } from '@platform/event-store';

export const REPORT_FILES_TABLE = 'reporting_report_files';
export const REPORT_ACTIVITY_TABLE = 'reporting_report_activity';
export const VERIFIED_RECIPIENTS_TABLE = 'reporting_verified_recipients';

/**
 * - `reporting_report_files`: generated reports (F15) and scheduled exports (F17), kept until
 *   their download link expires (a report is rendered once, when it is generated);
 * - `reporting_report_activity`: the report activity of a customer (F14 dashboard) and of the
 *   partner (customer_id NULL): reports generated, exports made, scheduled exports sent;
 * - `reporting_verified_recipients`: addresses a customer verified (ReportRecipientVerified).
 */
export function migrateReports(pool: Pool): Promise<string[]> {
  return migrate(pool, 'reporting-reports', [
    {
      id: '001_reports',
      sql: `
        CREATE TABLE ${REPORT_FILES_TABLE} (
          report_id text PRIMARY KEY,
          partner_id text NOT NULL,
          customer_id text,
          file_name text NOT NULL,
          content_type text NOT NULL,
          content bytea NOT NULL,
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL
        );
        CREATE INDEX reporting_report_files_customer ON ${REPORT_FILES_TABLE} (customer_id);
        CREATE INDEX reporting_report_files_expiry ON ${REPORT_FILES_TABLE} (expires_at);
        CREATE TABLE ${REPORT_ACTIVITY_TABLE} (
          activity_id text PRIMARY KEY,
          partner_id text NOT NULL,
          customer_id text,
          activity text NOT NULL,
          report_id text NOT NULL,
          report_kind text NOT NULL,
          report_name text NOT NULL,
          format text NOT NULL,
          details boolean,
          recipient_count integer NOT NULL DEFAULT 0,
          actor_type text NOT NULL,
          actor_id text NOT NULL,
          occurred_at timestamptz NOT NULL,
          position bigint NOT NULL
        );
        CREATE INDEX reporting_report_activity_customer ON ${REPORT_ACTIVITY_TABLE} (customer_id, occurred_at DESC);
        CREATE INDEX reporting_report_activity_partner ON ${REPORT_ACTIVITY_TABLE} (partner_id, occurred_at DESC);
        CREATE TABLE ${VERIFIED_RECIPIENTS_TABLE} (
          customer_id text NOT NULL,
          email text NOT NULL,
          verified_at timestamptz NOT NULL,
          PRIMARY KEY (customer_id, email)
        );
      `,
    },
  ]);
}
