import { CodedError } from '@platform/core';

/** The stream is not at the version the writer decided on: reload, decide again, retry. */
export class ConcurrencyError extends CodedError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number,
  ) {
    super('EVENT_STORE.WRONG_EXPECTED_VERSION', `stream ${streamId}: expected version ${expected}, actual ${actual}`, {
      streamId,
      expected,
      actual,
    });
  }
}

/**
 * An event id that is already stored came back with different content or in a different
 * place: that is a bug in the writer, not a retry.
 */
export class IdempotencyConflictError extends CodedError {
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super('EVENT_STORE.EVENT_ID_REUSED', `event ${eventId} was already appended ${reason}`, { eventId });
  }
}
