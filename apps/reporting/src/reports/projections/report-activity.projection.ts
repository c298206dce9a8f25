import type { PoolClient } from 'pg';
import type { Projection, RecordedEvent } from '@platform/event-store';
import type { ReportExported } from '../../exports/infrastructure/report-exporter';
import type { ReportGenerated } from '../domain/report.events';
import { REPORT_ACTIVITY_TABLE } from '../infrastructure/reports.schema';

export const REPORT_ACTIVITY_PROJECTION = 'reporting.report-activity';

interface ScheduledExportData {
  reportId: string;
  reportKind: string;
  reportName: string;
  format: string;
  recipients: unknown[];
}

/**
 * Report activity (F14 dashboard "report activity"; F15–F17): one row per report generated
 * for a customer, per export made now (customer-level or over all customers) and per scheduled
 * export sent. Row id = event id: replays change nothing.
 */
export class ReportActivityProjection implements Projection {
  readonly name = REPORT_ACTIVITY_PROJECTION;
  readonly filter = { categories: ['report'], eventTypes: ['ReportGenerated', 'ReportExported', 'ScheduledReportExported'] };

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const e of events) {
      const m = e.metadata;
      const base = [e.id, m.partnerId, m.actor.type, m.actor.id, m.occurredAt, e.globalPosition.toString()];
      let row: [string | null, string, string, string, string, string, boolean | null, number] | undefined;
      if (e.type === 'ReportGenerated') {
        const d = (e as unknown as ReportGenerated).data;
        const count = Array.isArray(d.recipients) ? d.recipients.length : 0;
        row = [m.customerId ?? null, 'generated', d.reportId, 'template', d.reportName, d.format, null, count];
      } else if (e.type === 'ReportExported') {
        const d = (e as unknown as ReportExported).data;
        row = [m.customerId ?? null, 'exported', d.exportId, d.reportKind, d.fileName, d.format, d.details, 0];
      } else if (e.type === 'ScheduledReportExported') {
        const d = e.data as unknown as ScheduledExportData;
        const count = Array.isArray(d.recipients) ? d.recipients.length : 0;
        // Partner-level: its metadata.customerId is the partner (the message key), not a customer.
        row = [null, 'scheduled-export', d.reportId, d.reportKind, d.reportName, d.format, null, count];
      }
      if (!row) continue;
      await tx.query(
        `INSERT INTO ${REPORT_ACTIVITY_TABLE}
           (activity_id, partner_id, actor_type, actor_id, occurred_at, position,
            customer_id, activity, report_id, report_kind, report_name, format, details, recipient_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (activity_id) DO NOTHING`,
        [...base, ...row],
      );
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${REPORT_ACTIVITY_TABLE}`);
  }
}
