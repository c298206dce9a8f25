import type { AuthenticatedActor } from '@platform/service-kit';

export interface ChangeExpiredServicesVisibilityCommand {
  actor: AuthenticatedActor;
  customerId: string;
  hidden: boolean;
  ifMatch?: number;
}
