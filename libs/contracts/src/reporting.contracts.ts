import { defineContract } from './contract';
import { s } from './schema-builders';

/** Contracts produced by the reporting service on `reporting.events.v1` (F14–F16). */

export const REPORT_FORMATS = ['pdf', 'csv', 'xlsx'] as const;
export const RECIPIENT_KINDS = ['partner', 'customer'] as const;

export interface ReportGeneratedV1 {
  reportId: string;
  templateId?: string;
  reportName: string;
  format: (typeof REPORT_FORMATS)[number];
  /** Time-limited download link. */
  downloadLink: string;
  recipients: Array<{ email: string; kind: (typeof RECIPIENT_KINDS)[number] }>;
  locale?: string;
}

export const reportGeneratedV1 = defineContract<'ReportGenerated', 1, ReportGeneratedV1>({
  type: 'ReportGenerated',
  version: 1,
  producer: 'reporting',
  description:
    'A report for the customer is ready (F15); notifications sends one “report ready” email per recipient. Customer recipients were verified when it was generated.',
  personalData: {
    carries: true,
    fields: ['recipients[].email', 'downloadLink'],
    why: 'The notifications service emails the recipients the download link.',
  },
  schema: s.object(
    {
      reportId: s.uuid(),
      templateId: s.uuid(),
      reportName: s.string({ maxLength: 256 }),
      format: s.enumOf(REPORT_FORMATS),
      downloadLink: s.uri(),
      recipients: s.array(s.object({ email: s.email(), kind: s.enumOf(RECIPIENT_KINDS) }), { minItems: 1, maxItems: 100 }),
      locale: s.locale(),
    },
    ['reportId', 'reportName', 'format', 'downloadLink', 'recipients'],
  ),
  example: {
    reportId: '01936a30-0000-7000-8000-000000000001',
    reportName: 'Monthly backup summary',
    format: 'pdf',
    downloadLink: 'https://console.example.com/reports/01936a30-0000-7000-8000-000000000001?sig=abc',
    recipients: [{ email: 'reports@contoso.com', kind: 'customer' }],
  },
});

export const HEALTH_STATES = ['healthy', 'warning', 'critical', 'unknown'] as const;

export interface CustomerHealthChangedV1 {
  health: (typeof HEALTH_STATES)[number];
  previousHealth: (typeof HEALTH_STATES)[number];
}

export const customerHealthChangedV1 = defineContract<'CustomerHealthChanged', 1, CustomerHealthChangedV1>({
  type: 'CustomerHealthChanged',
  version: 1,
  producer: 'reporting',
  description:
    'The customer’s overall service health (from telemetry, F14) changed; the customer list sorts and filters by it (F9).',
  personalData: { carries: false },
  schema: s.object({ health: s.enumOf(HEALTH_STATES), previousHealth: s.enumOf(HEALTH_STATES) }),
  example: { health: 'warning', previousHealth: 'healthy' },
});


export const SCHEDULED_REPORT_KINDS = ['customer-information', 'job-status'] as const;

export interface ScheduledReportExportedV1 {
  scheduleId: string;
  reportId: string;
  reportKind: (typeof SCHEDULED_REPORT_KINDS)[number];
  reportName: string;
  format: (typeof REPORT_FORMATS)[number];
  /** Time-limited download link. */
  downloadLink: string;
  expiresAt: string;
  /** The period this export is for, in the schedule's time zone (`2026-03-29`, `2026-03`). */
  period: string;
  recipients: Array<{ email: string }>;
  locale?: string;
}

export const scheduledReportExportedV1 = defineContract<'ScheduledReportExported', 1, ScheduledReportExportedV1>({
  type: 'ScheduledReportExported',
  version: 1,
  producer: 'reporting',
  description:
    'A scheduled export of a report over all the partner’s customers is ready (F17); notifications sends one “scheduled export” email per recipient. The report is about the partner, not one customer: subject (message key) is the partner id. At most one per schedule and period (the event id is derived from both).',
  personalData: {
    carries: true,
    fields: ['recipients[].email', 'downloadLink'],
    why: 'The notifications service emails the recipients the download link.',
  },
  schema: s.object(
    {
      scheduleId: s.uuid(),
      reportId: s.uuid(),
      reportKind: s.enumOf(SCHEDULED_REPORT_KINDS),
      reportName: s.string({ maxLength: 256 }),
      format: s.enumOf(REPORT_FORMATS),
      downloadLink: s.uri(),
      expiresAt: s.dateTime(),
      period: s.string({ maxLength: 32 }),
      recipients: s.array(s.object({ email: s.email() }), { minItems: 1, maxItems: 100 }),
      locale: s.locale(),
    },
    ['scheduleId', 'reportId', 'reportKind', 'reportName', 'format', 'downloadLink', 'expiresAt', 'period', 'recipients'],
  ),
  example: {
    scheduleId: '01936a30-0000-7000-8000-000000000002',
    reportId: '01936a30-0000-7000-8000-000000000003',
    reportKind: 'job-status',
    reportName: 'Cloud Backup job status report',
    format: 'xlsx',
    downloadLink: 'https://console.example.com/api/v1/reports/01936a30-0000-7000-8000-000000000003/download?expires=1767254400&sig=abc',
    expiresAt: '2026-01-08T08:00:00.000Z',
    period: '2026-01-01',
    recipients: [{ email: 'ops@partner.example.com' }],
  },
});

export const BACKUP_JOB_STATUSES = ['succeeded', 'partially-succeeded', 'failed', 'canceled'] as const;

export interface BackupJobCompletedV1 {
  jobId: string;
  /** Backup product (`cloud-backup-m365`, …). */
  product: string;
  /** Exchange, OneDrive, SharePoint, … as the product names it. */
  workload: string;
  startedAt: string;
  endedAt: string;
  status: (typeof BACKUP_JOB_STATUSES)[number];
  items: number;
  bytes: number;
}

export const backupJobCompletedV1 = defineContract<'BackupJobCompleted', 1, BackupJobCompletedV1>({
  type: 'BackupJobCompleted',
  version: 1,
  producer: 'reporting',
  description:
    'A product environment reported a finished backup job of the customer (telemetry `backup-jobs`, F14); the notifications service sends job notification digests from these (F18). Event id derived from the job id: a job reported twice is announced once.',
  personalData: { carries: false },
  schema: s.object({
    jobId: s.string({ maxLength: 128 }),
    product: s.string({ maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    workload: s.string({ maxLength: 64 }),
    startedAt: s.dateTime(),
    endedAt: s.dateTime(),
    status: s.enumOf(BACKUP_JOB_STATUSES),
    items: s.integer(0),
    bytes: s.integer(0),
  }),
  example: {
    jobId: 'job-2026-01-01-exchange-1',
    product: 'cloud-backup-m365',
    workload: 'Exchange',
    startedAt: '2026-01-01T02:00:00.000Z',
    endedAt: '2026-01-01T02:41:00.000Z',
    status: 'partially-succeeded',
    items: 18250,
    bytes: 5368709120,
  },
});

export const reportingContracts = [reportGeneratedV1, customerHealthChangedV1, scheduledReportExportedV1, backupJobCompletedV1] as const;
