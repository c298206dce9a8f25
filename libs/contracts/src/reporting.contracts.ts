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

export const reportingContracts = [reportGeneratedV1, customerHealthChangedV1] as const;
