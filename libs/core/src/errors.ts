/**
 * Errors carry a stable code `AREA.REASON` (spec conventions) that clients and the HTTP layer
 * map on; the message is for humans and may change.
 */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A precondition on state failed (maps to 409). */
export class ConflictError extends CodedError {}
/** A thing does not exist, or the caller may not know it exists (maps to 404). */
export class NotFoundError extends CodedError {}
/** Input is malformed (maps to 400). */
export class ValidationError extends CodedError {
  constructor(
    message: string,
    readonly fields: Array<{ field: string; message: string }>,
  ) {
    super('REQUEST.INVALID', message, { fields });
  }
}
/** The client's `If-Match` version is not the current one (maps to 412 `REQUEST.PRECONDITION_FAILED`). */
export class PreconditionFailedError extends CodedError {
  constructor(
    message: string,
    readonly expectedVersion?: number,
    readonly currentVersion?: number,
  ) {
    super('REQUEST.PRECONDITION_FAILED', message, { expectedVersion, currentVersion });
  }
}
