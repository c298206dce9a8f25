import { ConflictError, NotFoundError, ValidationError } from '@platform/core';

export const SettingTemplateErrorCode = {
  NOT_FOUND: 'SETTING_TEMPLATE.NOT_FOUND',
  ALREADY_EXISTS: 'SETTING_TEMPLATE.ALREADY_EXISTS',
  INVALID: 'SETTING_TEMPLATE.INVALID',
} as const;

export type FieldProblem = { field: string; message: string };

export class SettingTemplateValidationError extends ValidationError {
  override readonly code: string = SettingTemplateErrorCode.INVALID;
  constructor(fields: FieldProblem[]) {
    super('The setting template is invalid.', fields);
  }
}

/** Unknown ids and other partners' templates get the same answer (tenant isolation). */
export const settingTemplateNotFound = (): NotFoundError =>
  new NotFoundError(SettingTemplateErrorCode.NOT_FOUND, 'Setting template not found.');

export const settingTemplateAlreadyExists = (): ConflictError =>
  new ConflictError(SettingTemplateErrorCode.ALREADY_EXISTS, 'A setting template with this id already exists.');
