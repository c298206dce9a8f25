import type { AuthenticatedActor } from '@platform/service-kit';

/** F6: remove the relationship; needs the literal confirmation "Yes". */
export interface DisconnectCustomerCommand {
  actor: AuthenticatedActor;
  customerId: string;
  confirmation: unknown;
  ifMatch?: number;
}
