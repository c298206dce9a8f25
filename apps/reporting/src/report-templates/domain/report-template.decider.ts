import { ConflictError, err, NotFoundError, ok, ValidationError, type CodedError, type Result } from '@platform/core';
import {
  REPORT_SECTIONS,
  type ReportSectionKind,
  type ReportTemplateDefinition,
  type ReportTemplateEvent,
} from './report-template.events';

export const ReportTemplateErrorCode = {
  NOT_FOUND: 'REPORT_TEMPLATE.NOT_FOUND',
  ALREADY_EXISTS: 'REPORT_TEMPLATE.ALREADY_EXISTS',
  INVALID: 'REPORT_TEMPLATE.INVALID',
  CONCURRENT_UPDATE: 'REPORT_TEMPLATE.CONCURRENT_UPDATE',
} as const;

export const TEMPLATE_NAME_MAX = 128;
export const TEMPLATE_DESCRIPTION_MAX = 1000;
export const TEMPLATE_CUSTOMERS_MAX = 100;

export class ReportTemplateValidationError extends ValidationError {
  override readonly code: string = ReportTemplateErrorCode.INVALID;
  constructor(fields: Array<{ field: string; message: string }>) {
    super('The report template is invalid.', fields);
  }
}

export const templateNotFound = (): NotFoundError => new NotFoundError(ReportTemplateErrorCode.NOT_FOUND, 'Report template not found.');

export type ReportTemplateState =
  | { status: 'none' }
  | ({ status: 'active' | 'deleted'; templateId: string; partnerId: string; createdAt: string; updatedAt: string } & ReportTemplateDefinition);

export const initialReportTemplateState = (): ReportTemplateState => ({ status: 'none' });

type Envelope = ReportTemplateEvent & { metadata?: { partnerId: string; occurredAt: string } };

export function evolveReportTemplate(state: ReportTemplateState, event: Envelope): ReportTemplateState {
  const at = event.metadata?.occurredAt ?? '';
  switch (event.type) {
    case 'ReportTemplateCreated': {
      const { templateId, ...definition } = event.data;
      return { status: 'active', templateId, partnerId: event.metadata?.partnerId ?? '', createdAt: at, updatedAt: at, ...definition };
    }
    case 'ReportTemplateUpdated': {
      if (state.status === 'none') return state;
      const { templateId: _id, ...definition } = event.data;
      return { ...state, ...definition, updatedAt: at };
    }
    case 'ReportTemplateDeleted':
      return state.status === 'none' ? state : { ...state, status: 'deleted', updatedAt: at };
    default:
      return state;
  }
}

export type ReportTemplateCommand =
  | { type: 'CreateReportTemplate'; data: { partnerId: string; templateId: string } & ReportTemplateDefinition }
  | { type: 'UpdateReportTemplate'; data: { partnerId: string; templateId: string } & ReportTemplateDefinition }
  | { type: 'DeleteReportTemplate'; data: { partnerId: string; templateId: string } };

function normalize(d: ReportTemplateDefinition): Result<ReportTemplateDefinition, CodedError> {
  const problems: Array<{ field: string; message: string }> = [];
  const name = d.name.trim();
  if (name.length === 0 || name.length > TEMPLATE_NAME_MAX) problems.push({ field: 'name', message: `must be 1–${TEMPLATE_NAME_MAX} characters` });
  const description = d.description?.trim() ? d.description.trim() : null;
  if (description && description.length > TEMPLATE_DESCRIPTION_MAX) {
    problems.push({ field: 'description', message: `must be at most ${TEMPLATE_DESCRIPTION_MAX} characters` });
  }
  if (d.sections.length === 0) problems.push({ field: 'sections', message: 'must name at least one section' });
  d.sections.forEach((s, i) => {
    if (!(REPORT_SECTIONS as readonly string[]).includes(s)) problems.push({ field: `sections.${i}`, message: `must be one of ${REPORT_SECTIONS.join(', ')}` });
  });
  if (new Set(d.sections).size !== d.sections.length) problems.push({ field: 'sections', message: 'must not repeat a section' });
  const customerIds = d.customerIds.map((c) => c.toLowerCase());
  if (new Set(customerIds).size !== customerIds.length) problems.push({ field: 'customerIds', message: 'must not repeat a customer' });
  if (customerIds.length > TEMPLATE_CUSTOMERS_MAX) problems.push({ field: 'customerIds', message: `at most ${TEMPLATE_CUSTOMERS_MAX} customers` });
  if (problems.length > 0) return err(new ReportTemplateValidationError(problems));
  // Sections in catalogue order: equal templates compare equal.
  const sections = REPORT_SECTIONS.filter((s) => d.sections.includes(s)) as ReportSectionKind[];
  return ok({ name, description, sections, details: d.details, customerIds });
}

const sameDefinition = (a: ReportTemplateDefinition, b: ReportTemplateDefinition): boolean =>
  a.name === b.name &&
  a.description === b.description &&
  a.details === b.details &&
  a.sections.join() === b.sections.join() &&
  a.customerIds.join() === b.customerIds.join();

export function decideReportTemplate(command: ReportTemplateCommand, state: ReportTemplateState): Result<ReportTemplateEvent[], CodedError> {
  const { partnerId, templateId } = command.data;
  if (command.type === 'CreateReportTemplate') {
    if (state.status !== 'none') {
      return state.partnerId === partnerId
        ? err(new ConflictError(ReportTemplateErrorCode.ALREADY_EXISTS, 'A report template with this id already exists.'))
        : err(templateNotFound());
    }
    const { partnerId: _p, templateId: _t, ...definition } = command.data;
    const normalized = normalize(definition);
    if (!normalized.ok) return normalized;
    return ok([{ type: 'ReportTemplateCreated', data: { templateId, ...normalized.value } }]);
  }
  // Unknown, another partner's and deleted templates: 404 before anything about the input is told.
  if (state.status !== 'active' || state.partnerId !== partnerId) return err(templateNotFound());
  if (command.type === 'DeleteReportTemplate') return ok([{ type: 'ReportTemplateDeleted', data: { templateId } }]);
  const { partnerId: _p, templateId: _t, ...definition } = command.data;
  const normalized = normalize(definition);
  if (!normalized.ok) return normalized;
  if (sameDefinition(normalized.value, state)) return ok([]);
  return ok([{ type: 'ReportTemplateUpdated', data: { templateId, ...normalized.value } }]);
}

export const reportTemplateDecider = {
  initialState: initialReportTemplateState,
  evolve: evolveReportTemplate,
  decide: decideReportTemplate,
};
