import { ConflictError, uuidv7, type Clock, type IdGenerator } from '@platform/core';
import { ConcurrencyError, type EventMetadata, type EventStore, type NewEvent, expectedVersion, loadStream } from '@platform/event-store';
import { assertVersionMatches } from '@platform/service-kit';
import {
  decide,
  evolve,
  initialState,
  type CustomerCommand,
  type CustomerEventEnvelope,
  type CustomerState,
} from '../domain/customer.decider';
import { customerStreamId, type CustomerEvent } from '../domain/customer.events';

export interface LoadedCustomer {
  customerId: string;
  state: CustomerState;
  /** Stream version (0 when the stream is empty): the ETag and the expected version of the next append. */
  version: number;
}

export interface CommandOutcome extends LoadedCustomer {
  /** What was appended (empty when the command changed nothing). */
  events: CustomerEvent[];
  /** Global position of the last appended event (read-your-writes), absent when nothing was appended. */
  position?: bigint;
}

export interface RunOptions {
  /** The version the client last saw (`If-Match`); 412 when the stream moved on. */
  ifMatch?: number;
}

export const CONCURRENT_UPDATE = 'CUSTOMER.CONCURRENT_UPDATE';

/**
 * The write path of every customer command: load the stream, fold it, decide, append with the
 * loaded version as expected version. Of two concurrent conflicting commands one appends, the
 * other gets 409 (never a lost update). Unlike the pins/templates/tickets commands
 * (`retryOnConcurrency`), a customer command is not re-decided on a newer state: the client
 * acted on a version it saw (ETag / If-Match), so a concurrent change is for it to look at.
 */
export class CustomerCommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly invitationTtlMs?: number,
  ) {}

  async load(customerId: string): Promise<LoadedCustomer> {
    const { state, version } = await loadStream<CustomerState, CustomerEventEnvelope>(this.store, customerStreamId(customerId), initialState, evolve);
    return { customerId, state, version };
  }

  /** A command on a customer whose id was minted just now: its stream cannot exist yet, so nothing is read. */
  startNew(customerId: string, command: CustomerCommand, metadata: EventMetadata): Promise<CommandOutcome> {
    return this.decideAndAppend({ customerId, state: initialState, version: 0 }, command, metadata);
  }

  async run(customerId: string, command: CustomerCommand, metadata: EventMetadata, options: RunOptions = {}): Promise<CommandOutcome> {
    const loaded = await this.load(customerId);
    return this.decideAndAppend(loaded, command, metadata, options);
  }

  async decideAndAppend(
    loaded: LoadedCustomer,
    command: CustomerCommand,
    metadata: EventMetadata,
    options: RunOptions = {},
  ): Promise<CommandOutcome> {
    const { state, version, customerId } = loaded;
    // A stale If-Match is only told to the customer's own partner; anyone else gets the decider's 404.
    if (state.status !== 'none' && state.status !== 'disconnected' && state.partnerId === metadata.partnerId) {
      assertVersionMatches(options.ifMatch, version);
    }
    const decision = decide(command, state, { now: this.clock.now(), nextId: () => this.ids.next(), invitationTtlMs: this.invitationTtlMs });
    if (!decision.ok) throw decision.error;
    const events = decision.value;
    if (events.length === 0) return { ...loaded, events };

    const full: EventMetadata = { ...metadata, customerId };
    const toAppend: NewEvent[] = events.map((e) => ({ id: uuidv7(), type: e.type, schemaVersion: 1, data: e.data, metadata: full }));
    try {
      const result = await this.store.append(customerStreamId(customerId), toAppend, {
        expectedVersion: expectedVersion(version),
      });
      const next = events.reduce<CustomerState>((s, e) => evolve(s, { ...e, metadata: full }), state);
      return { customerId, state: next, version: result.nextExpectedVersion, events, position: result.lastGlobalPosition };
    } catch (e) {
      if (e instanceof ConcurrencyError) {
        throw new ConflictError(CONCURRENT_UPDATE, 'The customer was changed by another request at the same time: reload it and retry.');
      }
      throw e;
    }
  }
}
