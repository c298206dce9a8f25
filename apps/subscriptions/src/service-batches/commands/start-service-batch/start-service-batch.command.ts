import type { AuthenticatedActor } from '@platform/service-kit';
import type { StartServiceBatch } from '../../domain/service-batch.decider';

/** F13: edit one pooled service for 1–20 customers (the batch id is minted by the handler). */
export interface StartServiceBatchCommand {
  actor: AuthenticatedActor;
  batch: StartServiceBatch['data'];
}
