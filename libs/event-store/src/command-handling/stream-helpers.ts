import { ConflictError } from '@platform/core';
import { ConcurrencyError } from '../port/errors';
import type { EventMetadata, NewEvent, RecordedEvent } from '../port/event';
import type { EventStore, ExpectedVersion } from '../port/event-store.port';

/*
 * What every thin command handler does around its decider: load and fold a stream, append
 * with the loaded version as the expected version, and on a lost race decide again.
 */

/** A stream folded into a decider's state, with what the next append needs. */
export interface LoadedStream<S> {
  state: S;
  /** Stream version (0 = no stream): the expected version of the next append. */
  version: number;
  /** Ids already stored: a retried request whose event ids are derived from it finds its own events here. */
  eventIds: ReadonlySet<string>;
  events: RecordedEvent[];
}

export async function loadStream<S, E>(
  store: EventStore,
  streamId: string,
  initialState: S,
  evolve: (state: S, event: E) => S,
): Promise<LoadedStream<S>> {
  const events = await store.readStream(streamId);
  return {
    // Recorded events carry type, data and metadata: what the deciders' evolve reads.
    state: events.reduce((s, e) => evolve(s, e as unknown as E), initialState),
    version: events.length === 0 ? 0 : events[events.length - 1].streamVersion,
    eventIds: new Set(events.map((e) => e.id.toLowerCase())),
    events,
  };
}

export const expectedVersion = (version: number): ExpectedVersion => (version === 0 ? 'no_stream' : version);

export function toNewEvents(
  events: ReadonlyArray<{ type: string; data: object }>,
  metadata: EventMetadata,
  idOf: (event: { type: string; data: object }, index: number) => string,
): NewEvent[] {
  return events.map((e, i) => ({
    id: idOf(e, i),
    type: e.type,
    schemaVersion: 1,
    data: e.data as Record<string, unknown>,
    metadata,
  }));
}

/**
 * Load → decide → append, again from a fresh load when another writer appended in between:
 * the decision is taken anew on the newer state, so nothing is lost and a real conflict is
 * still refused by the decider. After `attempts` lost races the caller gets 409 `code`.
 */
export async function retryOnConcurrency<T>(code: string, work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      if (attempt >= attempts) {
        throw new ConflictError(code, 'Another request changed the same data at the same time: retry.', { streamId: e.streamId });
      }
    }
  }
}
