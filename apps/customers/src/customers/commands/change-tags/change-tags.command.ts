import type { AuthenticatedActor } from '@platform/service-kit';

/** F5: replace the customer's tags. */
export interface ChangeTagsCommand {
  actor: AuthenticatedActor;
  customerId: string;
  tags: string[];
  ifMatch?: number;
}
