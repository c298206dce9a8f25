import { ConcurrencyError, loadStream, type EventMetadata, type EventStore, type LoadedStream, type NewEvent } from '@platform/event-store';
import { evolveServiceBatch, initialServiceBatchState, type ServiceBatchEnvelope, type ServiceBatchState } from '../domain/service-batch.decider';
import { serviceBatchStreamId } from '../domain/service-batch.events';

/** A `batch-<id>` stream folded into the decider's state, with what the next append needs. */
export type LoadedBatch = LoadedStream<ServiceBatchState>;

export function loadBatch(store: EventStore, batchId: string): Promise<LoadedBatch> {
  return loadStream<ServiceBatchState, ServiceBatchEnvelope>(store, serviceBatchStreamId(batchId), initialServiceBatchState(), evolveServiceBatch);
}

/** Batch events take their metadata and id per position (each customer's result has its own). */
export function toNewEvents(events: ReadonlyArray<{ type: string; data: object }>, metadata: (index: number) => EventMetadata, idOf: (index: number) => string): NewEvent[] {
  return events.map((e, i) => ({ id: idOf(i), type: e.type, schemaVersion: 1, data: e.data as Record<string, unknown>, metadata: metadata(i) }));
}

export const isConcurrencyError = (e: unknown): e is ConcurrencyError => e instanceof ConcurrencyError;
