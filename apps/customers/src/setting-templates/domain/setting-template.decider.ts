import { err, isUuid, ok, type CodedError, type Result } from '@platform/core';
import type { CustomerSettingsChanges } from '../../customers/domain/customer.events';
import { normalizeSettings, normalizeTags } from '../../customers/domain/customer.rules';
import {
  settingTemplateAlreadyExists,
  settingTemplateNotFound,
  SettingTemplateValidationError,
  type FieldProblem,
} from './setting-template.errors';
import type { SettingTemplateEvent } from './setting-template.events';

/** Template names are labels in a drop-down: short, but long enough for "EU customers – billing to finance". */
export const TEMPLATE_NAME_MAX = 200;
/** F5 applies a template to many customers at once; one request handles at most this many. */
export const APPLY_MAX_CUSTOMERS = 100;

export type SettingTemplateState =
  | { status: 'none' }
  | {
      status: 'created';
      partnerId: string;
      name: string;
      settings: CustomerSettingsChanges;
      tags: string[];
      createdAt: string | null;
    };

export const initialSettingTemplateState = (): SettingTemplateState => ({ status: 'none' });

/** Recorded events carry the partner and time in their metadata. */
export type SettingTemplateEnvelope = SettingTemplateEvent & { metadata?: { partnerId?: string; occurredAt?: string } };

export function evolveSettingTemplate(state: SettingTemplateState, event: SettingTemplateEnvelope): SettingTemplateState {
  switch (event.type) {
    case 'SettingTemplateCreated':
      return {
        status: 'created',
        partnerId: event.metadata?.partnerId ?? (state.status === 'created' ? state.partnerId : ''),
        name: event.data.name,
        settings: event.data.settings,
        tags: [...event.data.tags],
        createdAt: event.metadata?.occurredAt ?? null,
      };
    default:
      return state;
  }
}

export type CreateSettingTemplate = {
  type: 'CreateSettingTemplate';
  data: { partnerId: string; name: string; settings: CustomerSettingsChanges; tags?: string[] };
};

export type SettingTemplateCommand = CreateSettingTemplate;

export type SettingTemplateDecision = Result<SettingTemplateEvent[], CodedError>;

export function decideSettingTemplate(command: SettingTemplateCommand, state: SettingTemplateState): SettingTemplateDecision {
  switch (command.type) {
    case 'CreateSettingTemplate': {
      if (state.status !== 'none') return err(settingTemplateAlreadyExists());
      const c = command.data;
      const problems: FieldProblem[] = [];
      const name = c.name.trim();
      if (name.length === 0 || name.length > TEMPLATE_NAME_MAX) {
        problems.push({ field: 'name', message: `must be 1–${TEMPLATE_NAME_MAX} characters` });
      }
      const settings = normalizeSettings(c.settings, 'settings.');
      problems.push(...settings.problems);
      const tags = normalizeTags(c.tags ?? [], 'tags');
      problems.push(...tags.problems);
      if (Object.keys(settings.settings).length === 0 && tags.tags.length === 0) {
        problems.push({ field: 'settings', message: 'a template needs at least one setting or tag' });
      }
      if (problems.length > 0) return err(new SettingTemplateValidationError(problems));
      return ok([{ type: 'SettingTemplateCreated', data: { name, settings: settings.settings, tags: tags.tags } }]);
    }
  }
}

export const settingTemplateDecider = {
  initialState: initialSettingTemplateState,
  evolve: evolveSettingTemplate,
  decide: decideSettingTemplate,
};

/** The template as the partner may use it: another partner's template is "not found", like an unknown id. */
export function templateOf(
  state: SettingTemplateState,
  partnerId: string,
): Result<Extract<SettingTemplateState, { status: 'created' }>, CodedError> {
  return state.status === 'created' && state.partnerId === partnerId ? ok(state) : err(settingTemplateNotFound());
}

/** The customers one apply request targets: 1–100 distinct UUIDs (the DTO checks the same). */
export function checkApplyTargets(customerIds: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (customerIds.length === 0 || customerIds.length > APPLY_MAX_CUSTOMERS) {
    problems.push({ field: 'customerIds', message: `must list 1–${APPLY_MAX_CUSTOMERS} customers` });
  }
  const seen = new Set<string>();
  customerIds.forEach((id, i) => {
    if (!isUuid(id)) problems.push({ field: `customerIds[${i}]`, message: 'must be a UUID' });
    else if (seen.has(id.toLowerCase())) problems.push({ field: `customerIds[${i}]`, message: 'is listed twice' });
    seen.add(id.toLowerCase());
  });
  return problems;
}

/** One customer's line in the answer to an apply request. */
export type ApplyOutcome =
  | { customerId: string; status: 'applied'; eventId: string }
  | { customerId: string; status: 'failed'; code: string; message: string };
