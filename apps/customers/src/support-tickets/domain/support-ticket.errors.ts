import { ConflictError, NotFoundError, ValidationError } from '@platform/core';

export const SupportTicketErrorCode = {
  NOT_FOUND: 'TICKET.NOT_FOUND',
  ALREADY_EXISTS: 'TICKET.ALREADY_EXISTS',
  ALREADY_CLOSED: 'TICKET.ALREADY_CLOSED',
  NOTE_ALREADY_EXISTS: 'TICKET.NOTE_ALREADY_EXISTS',
  INVALID: 'TICKET.INVALID',
} as const;

export type FieldProblem = { field: string; message: string };

export class SupportTicketValidationError extends ValidationError {
  override readonly code: string = SupportTicketErrorCode.INVALID;
  constructor(fields: FieldProblem[]) {
    super('The support ticket data is invalid.', fields);
  }
}

export const ticketNotFound = (): NotFoundError => new NotFoundError(SupportTicketErrorCode.NOT_FOUND, 'Support ticket not found.');

export const ticketAlreadyExists = (): ConflictError =>
  new ConflictError(SupportTicketErrorCode.ALREADY_EXISTS, 'A support ticket with this id already exists.');

export const ticketAlreadyClosed = (): ConflictError =>
  new ConflictError(SupportTicketErrorCode.ALREADY_CLOSED, 'The support ticket is already closed.');

export const noteAlreadyExists = (): ConflictError =>
  new ConflictError(SupportTicketErrorCode.NOTE_ALREADY_EXISTS, 'A note with this id already exists on the ticket.');
