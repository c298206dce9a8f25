import {
  ConcurrencyError,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from '@platform/event-store';
import { evolveServiceBatch, initialServiceBatchState, type ServiceBatchEnvelope, type ServiceBatchState } from '../domain/service-batch.decider';
import { serviceBatchStreamId } from '../domain/service-batch.events';

/** A `batch-<id>` stream folded into the decider's state, with what the next append needs. */
export interface LoadedBatch {
  state: ServiceBatchState;
  /** Stream version (0 = no stream): the expected version of the next append. */
  version: number;
  events: RecordedEvent[];
}

export async function loadBatch(store: EventStore, batchId: string): Promise<LoadedBatch> {
  const events = await store.readStream(serviceBatchStreamId(batchId));
  return {
    // Recorded events carry id, type, data and metadata: what evolve reads.
    state: events.reduce((s, e) => evolveServiceBatch(s, e as unknown as ServiceBatchEnvelope), initialServiceBatchState()),
    version: events.length === 0 ? 0 : events[events.length - 1].streamVersion,
    events,
  };
}

export const expectedVersion = (version: number): ExpectedVersion => (version === 0 ? 'no_stream' : version);

export function toNewEvents(events: ReadonlyArray<{ type: string; data: object }>, metadata: (index: number) => EventMetadata, idOf: (index: number) => string): NewEvent[] {
  return events.map((e, i) => ({ id: idOf(i), type: e.type, schemaVersion: 1, data: e.data as Record<string, unknown>, metadata: metadata(i) }));
}

export const isConcurrencyError = (e: unknown): e is ConcurrencyError => e instanceof ConcurrencyError;
