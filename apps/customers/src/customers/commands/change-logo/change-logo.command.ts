import type { AuthenticatedActor } from '@platform/service-kit';
import type { LogoContentType } from '../../domain/customer.events';

/** F2: set the customer's logo image (bytes already type-checked by magic number). */
export interface ChangeLogoCommand {
  actor: AuthenticatedActor;
  customerId: string;
  contentType: LogoContentType;
  bytes: Buffer;
  ifMatch?: number;
}

/** F2: remove the logo. */
export interface RemoveLogoCommand {
  actor: AuthenticatedActor;
  customerId: string;
  ifMatch?: number;
}
