import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@platform/service-kit';
import type { Pool } from 'pg';
import { scheduleView } from '../../commands/create-report-schedule/create-report-schedule.handler';
import type { ReportScheduleListView } from '../../commands/create-report-schedule/create-report-schedule.request';
import type { ReportScheduleDefinition } from '../../domain/report-schedule.events';
import { REPORT_SCHEDULES_TABLE } from '../../projections/report-schedules.projection';

/** The partner's live schedules, oldest first, with when each fires next. */
@Injectable()
export class ListReportSchedulesQuery {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(partnerId: string): Promise<ReportScheduleListView> {
    const { rows } = await this.pool.query<{
      schedule_id: string;
      partner_id: string;
      definition: ReportScheduleDefinition;
      created_at: Date;
      next_fire_at: Date;
      last_period: string | null;
    }>(`SELECT * FROM ${REPORT_SCHEDULES_TABLE} WHERE partner_id = $1 ORDER BY created_at, schedule_id LIMIT 1000`, [partnerId]);
    return {
      items: rows.map((r) =>
        scheduleView(
          { status: 'active', scheduleId: r.schedule_id, partnerId: r.partner_id, createdAt: r.created_at.toISOString(), ...r.definition },
          r.next_fire_at.toISOString(),
          r.last_period,
        ),
      ),
    };
  }
}
