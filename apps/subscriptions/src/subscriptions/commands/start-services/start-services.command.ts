import type { AuthenticatedActor } from '@platform/service-kit';

export interface StartServicesCommand {
  actor: AuthenticatedActor;
  customerId: string;
  serviceCodes?: string[];
  minPosition?: bigint;
}
