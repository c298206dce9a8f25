import type { AuthenticatedActor } from '@platform/service-kit';
import type { NewServiceRequest } from './add-services.request';

export interface AddServicesCommand {
  actor: AuthenticatedActor;
  customerId: string;
  services: NewServiceRequest[];
}
