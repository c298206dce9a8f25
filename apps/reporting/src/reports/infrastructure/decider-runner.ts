import { ConflictError, uuidv7, type CodedError, type Result } from '@platform/core';
import { ConcurrencyError, type EventMetadata, type EventStore, type NewEvent } from '@platform/event-store';

export interface Decider<C, E extends { type: string; data: object }, S> {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => Result<E[], CodedError>;
}

export interface DecisionOutcome<E, S> {
  state: S;
  events: E[];
  /** Stream version after the command. */
  version: number;
  /** Log position of the last appended event (absent when nothing was appended). */
  position?: bigint;
}

export async function loadState<C, E extends { type: string; data: object }, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
): Promise<{ state: S; version: number }> {
  const recorded = await store.readStream(streamId);
  return {
    state: recorded.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState()),
    version: recorded.length === 0 ? 0 : recorded[recorded.length - 1].streamVersion,
  };
}

/**
 * Load the stream → decide → append with the loaded version as expected version; a concurrent
 * writer makes it decide again on the newer stream (twice), then answers 409 `conflictCode`.
 */
export async function runDecider<C, E extends { type: string; data: object }, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  metadata: EventMetadata,
  conflictCode: string,
): Promise<DecisionOutcome<E, S>> {
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await loadState(store, streamId, decider);
    const decision = decider.decide(command, state);
    if (!decision.ok) throw decision.error;
    const events = decision.value;
    if (events.length === 0) return { state, events, version };
    const toAppend: NewEvent[] = events.map((e) => ({
      id: uuidv7(),
      type: e.type,
      schemaVersion: 1,
      data: e.data as Record<string, unknown>,
      metadata,
    }));
    try {
      const result = await store.append(streamId, toAppend, { expectedVersion: version === 0 ? 'no_stream' : version });
      return {
        // The recorded events carry the metadata (who, when): evolve sees them as a reader would.
        state: events.reduce((s, e) => decider.evolve(s, { ...e, metadata } as E), state),
        events,
        version: result.nextExpectedVersion,
        position: result.lastGlobalPosition,
      };
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      if (attempt >= 3) throw new ConflictError(conflictCode, 'Changed by another request at the same time: reload and retry.');
    }
  }
}
