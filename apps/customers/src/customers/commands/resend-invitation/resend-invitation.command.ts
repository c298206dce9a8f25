import type { AuthenticatedActor } from '@platform/service-kit';

/** F1: send the invitation again with a new link (the previous link stops working). */
export interface ResendInvitationCommand {
  actor: AuthenticatedActor;
  customerId: string;
  contactEmail?: string;
  draftEmail?: string;
  partnerName?: string;
  indirectProviderName?: string;
  ifMatch?: number;
}
