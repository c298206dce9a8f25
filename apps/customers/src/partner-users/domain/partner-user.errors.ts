import { ConflictError, ValidationError } from '@platform/core';

export const PartnerUserErrorCode = {
  PREFERENCES_INVALID: 'PREFERENCES.INVALID',
  PIN_LIMIT_REACHED: 'PIN.LIMIT_REACHED',
} as const;

export type FieldProblem = { field: string; message: string };

/** 400 with the failing fields under the preferences code. */
export class PreferencesValidationError extends ValidationError {
  override readonly code: string = PartnerUserErrorCode.PREFERENCES_INVALID;
  constructor(fields: FieldProblem[]) {
    super('The column preferences are invalid.', fields);
  }
}

export const pinLimitReached = (max: number): ConflictError =>
  new ConflictError(PartnerUserErrorCode.PIN_LIMIT_REACHED, `At most ${max} customers can be pinned; unpin one first.`, { max });
