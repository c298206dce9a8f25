import { ConflictError, NotFoundError, ValidationError } from '@platform/core';

/**
 * Expected failures of the customer decider. They are CodedError subclasses so the problem
 * filter maps them by class: NotFound → 404, Conflict → 409, Validation → 400 (with fields).
 */
export const CustomerErrorCode = {
  NOT_FOUND: 'CUSTOMER.NOT_FOUND',
  ALREADY_EXISTS: 'CUSTOMER.ALREADY_EXISTS',
  ALREADY_DISCONNECTED: 'CUSTOMER.ALREADY_DISCONNECTED',
  INVALID: 'CUSTOMER.INVALID',
  CONFIRMATION_REQUIRED: 'CUSTOMER.CONFIRMATION_REQUIRED',
  MANAGEMENT_MODE_IRREVERSIBLE: 'CUSTOMER.MANAGEMENT_MODE_IRREVERSIBLE',
  CUSTOMER_MANAGED: 'CUSTOMER.CUSTOMER_MANAGED',
  NOT_INVITED: 'CUSTOMER.NOT_INVITED',
  INVITATION_NOT_FOUND: 'CUSTOMER.INVITATION_NOT_FOUND',
  INVITATION_EXPIRED: 'CUSTOMER.INVITATION_EXPIRED',
  INVITATION_ALREADY_USED: 'CUSTOMER.INVITATION_ALREADY_USED',
  INVITATION_REVOKED: 'CUSTOMER.INVITATION_REVOKED',
  INVITATION_SUPERSEDED: 'CUSTOMER.INVITATION_SUPERSEDED',
  TOO_MANY_TAGS: 'CUSTOMER.TOO_MANY_TAGS',
} as const;
export type CustomerErrorCode = (typeof CustomerErrorCode)[keyof typeof CustomerErrorCode];

export type FieldProblem = { field: string; message: string };

/** 400 with the failing fields, under a customer-specific code (not the generic REQUEST.INVALID). */
export class CustomerValidationError extends ValidationError {
  override readonly code: string;
  constructor(code: CustomerErrorCode, message: string, fields: FieldProblem[]) {
    super(message, fields);
    this.code = code;
  }
}

export type CustomerError = NotFoundError | ConflictError | ValidationError;

/** The answer for an unknown id and for another partner's customer: the same, on purpose. */
export const customerNotFound = (): NotFoundError =>
  new NotFoundError(CustomerErrorCode.NOT_FOUND, 'Customer not found.');

export const invalidCustomerInput = (fields: FieldProblem[]): CustomerValidationError =>
  new CustomerValidationError(CustomerErrorCode.INVALID, 'The customer data is invalid.', fields);
