import { ConflictError, ValidationError } from '@platform/core';
import { decideGenerateReport, ReportErrorCode, type GenerateReportInput } from './generate-report.decision';

const input = (over: Partial<GenerateReportInput> = {}): GenerateReportInput => ({
  reportId: '01936a30-0000-7000-8000-000000000001',
  customer: { customerId: '01936a30-0000-7000-8000-0000000000c1', locale: 'it', serviceReportsEnabled: true },
  template: { templateId: '01936a30-0000-7000-8000-0000000000t1', name: 'Monthly', sections: ['job-status'], details: false, customerIds: [] },
  format: 'pdf',
  fileName: 'Monthly.pdf',
  recipients: [{ email: 'ops@partner.example.com', kind: 'partner' }],
  verifiedAddresses: new Set(),
  downloadLink: 'http://localhost/api/v1/reports/x/download?expires=1&sig=s',
  expiresAt: '2026-01-08T00:00:00.000Z',
  ...over,
});

const codeOf = (i: GenerateReportInput) => {
  const d = decideGenerateReport(i);
  if (d.ok) throw new Error('expected a refusal');
  return d.error;
};

describe('decideGenerateReport (F15)', () => {
  it('refuses a template that defines customers', () => {
    const e = codeOf(input({ template: { ...input().template, customerIds: ['01936a30-0000-7000-8000-0000000000c1'] } }));
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.code).toBe(ReportErrorCode.TEMPLATE_HAS_CUSTOMERS);
  });

  it('customer recipients need service reports on and a verified address; partner recipients need neither', () => {
    const customerRecipient = [{ email: 'Reports@Contoso.com', kind: 'customer' as const }];
    expect(codeOf(input({ recipients: customerRecipient, customer: { ...input().customer, serviceReportsEnabled: false } })).code).toBe(
      ReportErrorCode.SERVICE_REPORTS_DISABLED,
    );
    const unverified = codeOf(input({ recipients: customerRecipient }));
    expect(unverified.code).toBe(ReportErrorCode.RECIPIENT_NOT_VERIFIED);
    expect(unverified.details).toEqual({ unverified: ['reports@contoso.com'] });
    expect(decideGenerateReport(input({ recipients: customerRecipient, verifiedAddresses: new Set(['reports@contoso.com']) })).ok).toBe(true);
    expect(decideGenerateReport(input({ customer: { ...input().customer, serviceReportsEnabled: false } })).ok).toBe(true);
  });

  it('deduplicates recipients case-insensitively and announces exactly the contract data', () => {
    const d = decideGenerateReport(
      input({
        recipients: [
          { email: 'OPS@partner.example.com', kind: 'partner' },
          { email: 'ops@partner.example.com', kind: 'partner' },
        ],
      }),
    );
    if (!d.ok) throw d.error;
    expect(d.value.map((e) => e.type)).toEqual(['ReportRequested', 'ReportGenerated']);
    expect(d.value[1].data).toEqual({
      reportId: '01936a30-0000-7000-8000-000000000001',
      templateId: '01936a30-0000-7000-8000-0000000000t1',
      reportName: 'Monthly',
      format: 'pdf',
      downloadLink: 'http://localhost/api/v1/reports/x/download?expires=1&sig=s',
      recipients: [{ email: 'ops@partner.example.com', kind: 'partner' }],
      locale: 'it',
    });
    expect(codeOf(input({ recipients: [] }))).toBeInstanceOf(ValidationError);
  });
});
