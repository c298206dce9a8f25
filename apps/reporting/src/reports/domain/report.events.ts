import type { ReportSectionKind } from '../../report-templates/domain/report-template.events';

export const REPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const RECIPIENT_KINDS = ['partner', 'customer'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface ReportRecipient {
  email: string;
  kind: RecipientKind;
}

/** What was asked (kept in the report's stream): the file is rendered from it once. */
export type ReportRequested = {
  type: 'ReportRequested';
  data: {
    reportId: string;
    customerId: string;
    templateId: string;
    templateName: string;
    sections: ReportSectionKind[];
    details: boolean;
    format: ReportFormat;
    fileName: string;
    recipients: ReportRecipient[];
    expiresAt: string;
  };
};

/** Exactly the `ReportGenerated` v1 contract's data: the relay publishes it as is (libs/contracts/src/reporting.contracts.ts). */
export type ReportGenerated = {
  type: 'ReportGenerated';
  data: {
    reportId: string;
    templateId: string;
    reportName: string;
    format: ReportFormat;
    downloadLink: string;
    recipients: ReportRecipient[];
    locale?: string;
  };
};

export type ReportEvent = ReportRequested | ReportGenerated;
