import type { AuthenticatedActor } from '@platform/service-kit';
import type { CustomerChanges } from '../../domain/customer.events';

/** F2: change customer information and report settings (only what is given). */
export interface EditCustomerCommand {
  actor: AuthenticatedActor;
  customerId: string;
  changes: CustomerChanges;
  ifMatch?: number;
}
