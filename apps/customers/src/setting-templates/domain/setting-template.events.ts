import type { CustomerSettingsChanges } from '../../customers/domain/customer.events';

/**
 * Events of the `settingtemplate-<id>` stream (F5): a named bundle of F2 settings and tags a
 * global admin applies to many customers at once. The owning partner is `metadata.partnerId`.
 * Applying it is recorded on each customer's stream (`SettingTemplateApplied`), not here.
 */
export type SettingTemplateCreated = {
  type: 'SettingTemplateCreated';
  data: { name: string; settings: CustomerSettingsChanges; tags: string[] };
};

export type SettingTemplateEvent = SettingTemplateCreated;

export const SETTING_TEMPLATE_STREAM_CATEGORY = 'settingtemplate';
export const settingTemplateStreamId = (templateId: string): string => `${SETTING_TEMPLATE_STREAM_CATEGORY}-${templateId}`;
