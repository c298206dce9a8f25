/** F15 report templates: a named set of report sections, optionally bound to fixed customers. */

export const REPORT_SECTIONS = ['customer-information', 'job-status', 'storage-consumption'] as const;
export type ReportSectionKind = (typeof REPORT_SECTIONS)[number];

export const REPORT_TEMPLATE_CATEGORY = 'reporttemplate';
export const reportTemplateStreamId = (templateId: string): string => `${REPORT_TEMPLATE_CATEGORY}-${templateId}`;

export interface ReportTemplateDefinition {
  name: string;
  description: string | null;
  sections: ReportSectionKind[];
  /** Include the detail rows (every job, every storage sample) besides the summaries. */
  details: boolean;
  /** Customers the template is fixed to; empty = usable for any customer (F15 "templates that define no customers"). */
  customerIds: string[];
}

export type ReportTemplateCreated = {
  type: 'ReportTemplateCreated';
  data: ReportTemplateDefinition & { templateId: string };
};
export type ReportTemplateUpdated = {
  type: 'ReportTemplateUpdated';
  data: ReportTemplateDefinition & { templateId: string };
};
export type ReportTemplateDeleted = { type: 'ReportTemplateDeleted'; data: { templateId: string } };

export type ReportTemplateEvent = ReportTemplateCreated | ReportTemplateUpdated | ReportTemplateDeleted;
export const REPORT_TEMPLATE_EVENT_TYPES: ReadonlyArray<ReportTemplateEvent['type']> = [
  'ReportTemplateCreated',
  'ReportTemplateUpdated',
  'ReportTemplateDeleted',
];
