import type { AuthenticatedActor } from '@platform/service-kit';

/** F1: revoke a pending invitation; its link stops working. */
export interface RevokeInvitationCommand {
  actor: AuthenticatedActor;
  customerId: string;
  ifMatch?: number;
}
