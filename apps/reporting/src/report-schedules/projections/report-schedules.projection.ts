import type { Pool, PoolClient } from 'pg';
import { migrate, type Projection, type RecordedEvent } from '@platform/event-store';
import { nextOccurrence } from '../domain/recurrence';
import { REPORT_SCHEDULE_CATEGORY, type ReportScheduleEvent } from '../domain/report-schedule.events';

export const REPORT_SCHEDULES_TABLE = 'reporting_report_schedules';

/**
 * One row per live schedule: its definition (the list, F17) and when it is due next
 * (`next_fire_at`, computed in its time zone), with the lease of the instance firing it.
 */
export function migrateReportSchedules(pool: Pool): Promise<string[]> {
  return migrate(pool, 'reporting-report-schedules', [
    {
      id: '001_report_schedules',
      sql: `
        CREATE TABLE ${REPORT_SCHEDULES_TABLE} (
          schedule_id text PRIMARY KEY,
          partner_id text NOT NULL,
          definition jsonb NOT NULL,
          created_at timestamptz NOT NULL,
          created_by text NOT NULL,
          next_fire_at timestamptz NOT NULL,
          last_period text,
          last_fired_at timestamptz,
          claimed_by text,
          claim_expires_at timestamptz
        );
        CREATE INDEX reporting_report_schedules_due ON ${REPORT_SCHEDULES_TABLE} (next_fire_at);
        CREATE INDEX reporting_report_schedules_partner ON ${REPORT_SCHEDULES_TABLE} (partner_id, created_at);
      `,
    },
  ]);
}

/**
 * `reportschedule-*` → the schedules table. A created schedule is first due at its first
 * occurrence after its creation; replays keep the firing progress (insert-if-absent).
 */
export class ReportSchedulesProjection implements Projection {
  readonly name = 'reporting.report-schedules';
  readonly filter = { categories: [REPORT_SCHEDULE_CATEGORY] };

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const recorded of events) {
      const e = recorded as unknown as ReportScheduleEvent;
      if (e.type === 'ReportScheduleCreated') {
        const { scheduleId, ...definition } = e.data;
        const createdAt = new Date(recorded.metadata.occurredAt);
        await tx.query(
          `INSERT INTO ${REPORT_SCHEDULES_TABLE} (schedule_id, partner_id, definition, created_at, created_by, next_fire_at)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6) ON CONFLICT (schedule_id) DO NOTHING`,
          [
            scheduleId,
            recorded.metadata.partnerId,
            JSON.stringify(definition),
            createdAt,
            `${recorded.metadata.actor.type}:${recorded.metadata.actor.id}`,
            nextOccurrence(definition.recurrence, createdAt),
          ],
        );
      } else if (e.type === 'ReportScheduleDeleted') {
        await tx.query(`DELETE FROM ${REPORT_SCHEDULES_TABLE} WHERE schedule_id = $1`, [e.data.scheduleId]);
      }
    }
  }
}
