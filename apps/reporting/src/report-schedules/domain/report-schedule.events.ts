import type { Recurrence } from './recurrence';

export const SCHEDULED_REPORT_KINDS = ['customer-information', 'job-status'] as const;
export type ScheduledReportKind = (typeof SCHEDULED_REPORT_KINDS)[number];

export const REPORT_SCHEDULE_CATEGORY = 'reportschedule';
export const reportScheduleStreamId = (scheduleId: string): string => `${REPORT_SCHEDULE_CATEGORY}-${scheduleId}`;

export interface ReportScheduleDefinition {
  name: string;
  reportKind: ScheduledReportKind;
  format: 'csv' | 'xlsx' | 'pdf';
  details: boolean;
  /** Job status only: one Cloud Backup product. */
  product: string | null;
  /** Base of the file name (the period is appended); the schedule name by default. */
  fileName: string | null;
  recipients: string[];
  recurrence: Recurrence;
}

export type ReportScheduleCreated = { type: 'ReportScheduleCreated'; data: ReportScheduleDefinition & { scheduleId: string } };
export type ReportScheduleDeleted = { type: 'ReportScheduleDeleted'; data: { scheduleId: string } };
export type ReportScheduleEvent = ReportScheduleCreated | ReportScheduleDeleted;
