import { ConflictError, NotFoundError } from '@platform/core';

/** A link that was never issued, was tampered with, or whose address is no longer a recipient. */
export const verificationNotFound = (): NotFoundError =>
  new NotFoundError('EMAIL_VERIFICATION.NOT_FOUND', 'This verification link is not valid (any more).');

/** The link is genuine but ran out; a new one is sent when the address is saved again. */
export const verificationExpired = (): ConflictError =>
  new ConflictError('EMAIL_VERIFICATION.EXPIRED', 'This verification link has expired: ask your service provider to send a new one.');

export const customerNotFound = (): NotFoundError => new NotFoundError('CUSTOMER.NOT_FOUND', 'No such customer.');
