import { decideReportTemplate, evolveReportTemplate, initialReportTemplateState, ReportTemplateErrorCode, type ReportTemplateState } from './report-template.decider';
import type { ReportTemplateDefinition } from './report-template.events';

const partnerId = 'p1';
const templateId = 't1';
const def = (over: Partial<ReportTemplateDefinition> = {}): ReportTemplateDefinition => ({
  name: ' Monthly ',
  description: null,
  sections: ['storage-consumption', 'job-status'],
  details: false,
  customerIds: [],
  ...over,
});

function created(): ReportTemplateState {
  const d = decideReportTemplate({ type: 'CreateReportTemplate', data: { partnerId, templateId, ...def() } }, initialReportTemplateState());
  if (!d.ok) throw d.error;
  return d.value.reduce(
    (s, e) => evolveReportTemplate(s, { ...e, metadata: { partnerId, occurredAt: '2026-01-01T00:00:00.000Z' } }),
    initialReportTemplateState(),
  );
}

describe('report template decider (F15)', () => {
  it('creates with a trimmed name and sections in catalogue order', () => {
    expect(created()).toMatchObject({ status: 'active', name: 'Monthly', sections: ['job-status', 'storage-consumption'], partnerId });
  });

  it('refuses invalid definitions with the failing fields', () => {
    const d = decideReportTemplate(
      { type: 'CreateReportTemplate', data: { partnerId, templateId, ...def({ name: '  ', sections: [], customerIds: ['A', 'a'] }) } },
      initialReportTemplateState(),
    );
    if (d.ok) throw new Error('expected a refusal');
    expect(d.error.code).toBe(ReportTemplateErrorCode.INVALID);
    expect((d.error.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toEqual(['name', 'sections', 'customerIds']);
  });

  it('another partner’s or a deleted template is not found; an unchanged update appends nothing', () => {
    const state = created();
    const other = decideReportTemplate({ type: 'DeleteReportTemplate', data: { partnerId: 'p2', templateId } }, state);
    expect(other.ok ? null : other.error.code).toBe(ReportTemplateErrorCode.NOT_FOUND);
    const same = decideReportTemplate({ type: 'UpdateReportTemplate', data: { partnerId, templateId, ...def() } }, state);
    expect(same).toEqual({ ok: true, value: [] });
    const deleted = evolveReportTemplate(state, { type: 'ReportTemplateDeleted', data: { templateId } });
    const after = decideReportTemplate({ type: 'UpdateReportTemplate', data: { partnerId, templateId, ...def({ name: 'New' }) } }, deleted);
    expect(after.ok ? null : after.error.code).toBe(ReportTemplateErrorCode.NOT_FOUND);
  });
});
