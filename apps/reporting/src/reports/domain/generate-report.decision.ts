import { ConflictError, err, ok, ValidationError, type CodedError, type Result } from '@platform/core';
import type { ReportSectionKind } from '../../report-templates/domain/report-template.events';
import type { ReportEvent, ReportFormat, ReportRecipient } from './report.events';

export const ReportErrorCode = {
  NOT_FOUND: 'REPORT.NOT_FOUND',
  TEMPLATE_HAS_CUSTOMERS: 'REPORT.TEMPLATE_HAS_CUSTOMERS',
  SERVICE_REPORTS_DISABLED: 'REPORT.SERVICE_REPORTS_DISABLED',
  RECIPIENT_NOT_VERIFIED: 'REPORT.RECIPIENT_NOT_VERIFIED',
  LINK_EXPIRED: 'REPORT.LINK_EXPIRED',
  INVALID: 'REPORT.INVALID',
} as const;

export const MAX_RECIPIENTS = 100;

export interface GenerateReportInput {
  reportId: string;
  customer: { customerId: string; locale: string; serviceReportsEnabled: boolean };
  template: { templateId: string; name: string; sections: ReportSectionKind[]; details: boolean; customerIds: string[] };
  format: ReportFormat;
  fileName: string;
  recipients: ReportRecipient[];
  /** Addresses of this customer that confirmed they may receive reports (lower case). */
  verifiedAddresses: ReadonlySet<string>;
  downloadLink: string;
  expiresAt: string;
}

/**
 * F15 rules for generating a report for one customer: only from a template that defines no
 * customers; a customer recipient needs the customer's service reports on and an address the
 * customer verified. Recipients are deduplicated by address (case-insensitive).
 */
export function decideGenerateReport(input: GenerateReportInput): Result<ReportEvent[], CodedError> {
  const { template, customer } = input;
  if (template.customerIds.length > 0) {
    return err(
      new ConflictError(
        ReportErrorCode.TEMPLATE_HAS_CUSTOMERS,
        'This template is fixed to its own customers; generate a customer’s report from a template that defines no customers.',
        { templateId: template.templateId },
      ),
    );
  }
  const seen = new Set<string>();
  const recipients: ReportRecipient[] = [];
  for (const r of input.recipients) {
    const email = r.email.trim().toLowerCase();
    if (seen.has(email)) continue;
    seen.add(email);
    recipients.push({ email, kind: r.kind });
  }
  if (recipients.length === 0 || recipients.length > MAX_RECIPIENTS) {
    return err(new ValidationError('Invalid recipients.', [{ field: 'recipients', message: `1–${MAX_RECIPIENTS} distinct addresses` }]));
  }
  const customerRecipients = recipients.filter((r) => r.kind === 'customer');
  if (customerRecipients.length > 0 && !customer.serviceReportsEnabled) {
    return err(
      new ConflictError(ReportErrorCode.SERVICE_REPORTS_DISABLED, 'Sending service reports is not enabled for this customer: it cannot receive reports.'),
    );
  }
  const unverified = customerRecipients.filter((r) => !input.verifiedAddresses.has(r.email)).map((r) => r.email);
  if (unverified.length > 0) {
    return err(
      new ConflictError(
        ReportErrorCode.RECIPIENT_NOT_VERIFIED,
        `Customer recipients must verify their address before they can receive reports; not verified yet: ${unverified.join(', ')}.`,
        { unverified },
      ),
    );
  }
  return ok([
    {
      type: 'ReportRequested',
      data: {
        reportId: input.reportId,
        customerId: customer.customerId,
        templateId: template.templateId,
        templateName: template.name,
        sections: template.sections,
        details: template.details,
        format: input.format,
        fileName: input.fileName,
        recipients,
        expiresAt: input.expiresAt,
      },
    },
    {
      type: 'ReportGenerated',
      data: {
        reportId: input.reportId,
        templateId: template.templateId,
        reportName: template.name,
        format: input.format,
        downloadLink: input.downloadLink,
        recipients,
        locale: customer.locale,
      },
    },
  ]);
}
