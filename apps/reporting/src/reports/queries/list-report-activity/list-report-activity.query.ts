import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@platform/service-kit';
import type { Pool } from 'pg';
import { REPORT_ACTIVITY_TABLE } from '../../infrastructure/reports.schema';
import type { ReportActivityListView } from './report-activity.view';

interface Row {
  activity_id: string;
  activity: string;
  report_id: string;
  report_kind: string;
  report_name: string;
  format: string;
  details: boolean | null;
  recipient_count: number;
  actor_type: string;
  actor_id: string;
  occurred_at: Date;
}

/** Report activity of one customer (F14), newest first; the partner check is the caller's (directory). */
@Injectable()
export class ListReportActivityQuery {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(partnerId: string, customerId: string, limit = 100): Promise<ReportActivityListView> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${REPORT_ACTIVITY_TABLE} WHERE partner_id = $1 AND customer_id = $2 ORDER BY occurred_at DESC, position DESC LIMIT $3`,
      [partnerId, customerId, limit],
    );
    return {
      items: rows.map((r) => ({
        id: r.activity_id,
        activity: r.activity,
        reportId: r.report_id,
        reportKind: r.report_kind,
        reportName: r.report_name,
        format: r.format,
        details: r.details,
        recipientCount: r.recipient_count,
        actor: { type: r.actor_type, id: r.actor_id },
        occurredAt: r.occurred_at.toISOString(),
      })),
    };
  }
}
