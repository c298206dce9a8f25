import type { AuthenticatedActor } from '@platform/service-kit';

/** F13: run the batch again for its failed customers only. */
export interface RetryFailedCustomersCommand {
  actor: AuthenticatedActor;
  batchId: string;
}
