/**
 * Events of the `partneruser-<userId>` stream: what one partner user keeps for itself (F4 pins,
 * F9 column preferences) and its open delegated-access session (F8, decided by the
 * access-session decider). Names and data are fixed in the issue-3 plan; the partner travels in
 * `metadata.partnerId`.
 */

export type CustomerPinned = { type: 'CustomerPinned'; data: { customerId: string } };
export type CustomerUnpinned = { type: 'CustomerUnpinned'; data: { customerId: string } };
export type ColumnPreferencesSaved = { type: 'ColumnPreferencesSaved'; data: { columns: string[] } };

export type AccessSessionStarted = {
  type: 'AccessSessionStarted';
  data: { sessionId: string; customerId: string; expiresAt: string };
};
/** superseded: the user opened another customer; customer-managed / customer-disconnected: F3 / F6 closed the customer to the partner. */
export type AccessSessionEndReason = 'superseded' | 'expired' | 'customer-managed' | 'customer-disconnected';
export type AccessSessionEnded = {
  type: 'AccessSessionEnded';
  data: { sessionId: string; customerId: string; reason: AccessSessionEndReason };
};

export type PartnerUserEvent =
  | CustomerPinned
  | CustomerUnpinned
  | ColumnPreferencesSaved
  | AccessSessionStarted
  | AccessSessionEnded;

export type PartnerUserEventType = PartnerUserEvent['type'];

export const PARTNER_USER_EVENT_TYPES: readonly PartnerUserEventType[] = [
  'CustomerPinned',
  'CustomerUnpinned',
  'ColumnPreferencesSaved',
  'AccessSessionStarted',
  'AccessSessionEnded',
];

export const isPartnerUserEvent = (event: { type: string }): event is PartnerUserEvent =>
  (PARTNER_USER_EVENT_TYPES as readonly string[]).includes(event.type);

export const PARTNER_USER_STREAM_CATEGORY = 'partneruser';
export const partnerUserStreamId = (userId: string): string => `${PARTNER_USER_STREAM_CATEGORY}-${userId}`;
