import { ConflictError, NotFoundError, ValidationError } from '@platform/core';

export const ServiceBatchErrorCode = {
  NOT_FOUND: 'SERVICE_BATCH.NOT_FOUND',
  INVALID: 'SERVICE_BATCH.INVALID',
  ALREADY_EXISTS: 'SERVICE_BATCH.ALREADY_EXISTS',
  RUNNING: 'SERVICE_BATCH.RUNNING',
  NOTHING_TO_RETRY: 'SERVICE_BATCH.NOTHING_TO_RETRY',
  CONCURRENT_UPDATE: 'SERVICE_BATCH.CONCURRENT_UPDATE',
  /** Recorded for a customer whose edit kept failing unexpectedly (the subscriptions side threw). */
  EDIT_ERROR: 'SERVICE_BATCH.EDIT_ERROR',
} as const;

export type FieldProblem = { field: string; message: string };

export class ServiceBatchValidationError extends ValidationError {
  override readonly code: string = ServiceBatchErrorCode.INVALID;
  constructor(fields: FieldProblem[]) {
    super('The batch edit is invalid.', fields);
  }
}

/** Unknown ids and other partners' batches get the same answer (tenant isolation). */
export const serviceBatchNotFound = (): NotFoundError => new NotFoundError(ServiceBatchErrorCode.NOT_FOUND, 'Service batch not found.');

export const serviceBatchAlreadyExists = (): ConflictError =>
  new ConflictError(ServiceBatchErrorCode.ALREADY_EXISTS, 'A service batch with this id already exists.');

export const serviceBatchRunning = (): ConflictError =>
  new ConflictError(ServiceBatchErrorCode.RUNNING, 'The batch is still running: retry its failed customers once it has completed.');

export const nothingToRetry = (): ConflictError =>
  new ConflictError(ServiceBatchErrorCode.NOTHING_TO_RETRY, 'No customer of this batch has failed: there is nothing to retry.');
