/** Stream of one customer's address verifications: `recipientverification-<customerId>`. */
export const RECIPIENT_VERIFICATION_CATEGORY = 'recipientverification';
export const recipientVerificationStreamId = (customerId: string): string => `${RECIPIENT_VERIFICATION_CATEGORY}-${customerId}`;

/** The customer confirmed an address (announced as the ReportRecipientVerified contract, same data). */
export type ReportRecipientVerified = { type: 'ReportRecipientVerified'; data: { email: string } };
