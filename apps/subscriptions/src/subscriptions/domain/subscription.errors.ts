import { ConflictError, NotFoundError, ValidationError } from '@platform/core';

export const SubscriptionErrorCode = {
  NOT_FOUND: 'SUBSCRIPTION.NOT_FOUND',
  INVALID: 'SUBSCRIPTION.INVALID',
  ALREADY_EXISTS: 'SUBSCRIPTION.ALREADY_EXISTS',
  ALREADY_SUBSCRIBED: 'SUBSCRIPTION.ALREADY_SUBSCRIBED',
  EXPIRED: 'SUBSCRIPTION.EXPIRED',
  CONCURRENT_UPDATE: 'SUBSCRIPTION.CONCURRENT_UPDATE',
  NONE_AVAILABLE: 'SUBSCRIPTION.NONE_AVAILABLE',
  PROVISIONING_IN_PROGRESS: 'PROVISIONING.IN_PROGRESS',
  ALREADY_STARTED: 'PROVISIONING.ALREADY_STARTED',
  PROVISIONING_NOT_IN_PROGRESS: 'PROVISIONING.NOT_IN_PROGRESS',
} as const;

export const CustomerRefusal = {
  NOT_FOUND: 'CUSTOMER.NOT_FOUND',
  NOT_ACTIVE: 'CUSTOMER.NOT_ACTIVE',
  CUSTOMER_MANAGED: 'CUSTOMER.CUSTOMER_MANAGED',
} as const;

export type FieldProblem = { field: string; message: string };

/** 400 with the failing fields under SUBSCRIPTION.INVALID. */
export class SubscriptionValidationError extends ValidationError {
  override readonly code: string = SubscriptionErrorCode.INVALID;
}

export const invalidSubscription = (fields: FieldProblem[]): SubscriptionValidationError =>
  new SubscriptionValidationError('The subscription data is invalid.', fields);

export const subscriptionNotFound = (): NotFoundError => new NotFoundError(SubscriptionErrorCode.NOT_FOUND, 'Subscription not found.');

export const subscriptionExpired = (): ConflictError =>
  new ConflictError(SubscriptionErrorCode.EXPIRED, 'The subscription has expired: add the service again instead.');

export type SubscriptionError = NotFoundError | ConflictError | ValidationError;
