import type { AuthenticatedActor } from '@platform/service-kit';
import type { ManagementMode } from '../../domain/customer.events';

/** F3: partner → customer management mode, never back. */
export interface ChangeManagementModeCommand {
  actor: AuthenticatedActor;
  customerId: string;
  mode: ManagementMode;
  ifMatch?: number;
}
