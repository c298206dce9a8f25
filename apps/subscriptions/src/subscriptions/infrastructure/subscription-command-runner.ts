import { ConflictError, uuidv7, type Clock } from '@platform/core';
import { ConcurrencyError, type EventMetadata, type EventStore, type NewEvent } from '@platform/event-store';
import { assertVersionMatches } from '@platform/service-kit';
import { decideProvisioning, type ProvisioningCommand } from '../domain/provisioning.decider';
import {
  decide,
  evolve,
  foldSubscription,
  type SubscriptionCommand,
  type SubscriptionEventEnvelope,
  type SubscriptionState,
} from '../domain/subscription.decider';
import { SubscriptionErrorCode } from '../domain/subscription.errors';
import { subscriptionStreamId, type SubscriptionEvent } from '../domain/subscription.events';

export interface LoadedSubscription {
  subscriptionId: string;
  state: SubscriptionState;
  /** Stream version (0 when empty): the ETag and the expected version of the next append. */
  version: number;
}

export interface SubscriptionOutcome extends LoadedSubscription {
  events: SubscriptionEvent[];
  /** Global position of the last appended event (read-your-writes). */
  position?: bigint;
}

export interface SubscriptionRunOptions {
  ifMatch?: number;
  /**
   * Event ids for a write that must never happen twice (expiry, batch edit, cancellation):
   * the i-th event gets `eventIds(i)`; an append of the same ids again is a no-op in the store.
   */
  eventIds?: (index: number) => string;
}

/**
 * The write path of every command on a `subscription-<id>` stream: load, fold, decide, append
 * with the loaded version as the expected version (a concurrent writer gets 409, never a lost update).
 */
export class SubscriptionCommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async load(subscriptionId: string): Promise<LoadedSubscription> {
    const recorded = await this.store.readStream(subscriptionStreamId(subscriptionId));
    return {
      subscriptionId,
      state: foldSubscription(recorded as unknown as SubscriptionEventEnvelope[]),
      version: recorded.length === 0 ? 0 : recorded[recorded.length - 1].streamVersion,
    };
  }

  async run(subscriptionId: string, command: SubscriptionCommand, metadata: EventMetadata, options: SubscriptionRunOptions = {}): Promise<SubscriptionOutcome> {
    const loaded = await this.load(subscriptionId);
    if (loaded.state.status !== 'none' && loaded.state.partnerId === metadata.partnerId) assertVersionMatches(options.ifMatch, loaded.version);
    const decision = decide(command, loaded.state, { now: this.clock.now() });
    if (!decision.ok) throw decision.error;
    return this.append(loaded, decision.value, metadata, options);
  }

  async runProvisioning(subscriptionId: string, command: ProvisioningCommand, metadata: EventMetadata, options: SubscriptionRunOptions = {}): Promise<SubscriptionOutcome> {
    const loaded = await this.load(subscriptionId);
    const decision = decideProvisioning(command, loaded.state);
    if (!decision.ok) throw decision.error;
    return this.append(loaded, decision.value, metadata, options);
  }

  async append(
    loaded: LoadedSubscription,
    events: SubscriptionEvent[],
    metadata: EventMetadata,
    options: SubscriptionRunOptions = {},
  ): Promise<SubscriptionOutcome> {
    if (events.length === 0) return { ...loaded, events };
    const { subscriptionId, state, version } = loaded;
    const customerId = state.customerId ?? metadata.customerId;
    const full: EventMetadata = { ...metadata, ...(customerId ? { customerId } : {}), subscriptionId };
    const toAppend: NewEvent[] = events.map((e, i) => ({
      id: options.eventIds ? options.eventIds(i) : uuidv7(),
      type: e.type,
      schemaVersion: 1,
      data: e.data as unknown as Record<string, unknown>,
      metadata: full,
    }));
    try {
      const result = await this.store.append(subscriptionStreamId(subscriptionId), toAppend, {
        expectedVersion: version === 0 ? 'no_stream' : version,
      });
      const next = events.reduce<SubscriptionState>((s, e) => evolve(s, { ...e, metadata: full } as SubscriptionEventEnvelope), state);
      return { subscriptionId, state: next, version: result.nextExpectedVersion, events, position: result.lastGlobalPosition };
    } catch (e) {
      if (e instanceof ConcurrencyError) {
        throw new ConflictError(
          SubscriptionErrorCode.CONCURRENT_UPDATE,
          'The subscription was changed by another request at the same time: reload it and retry.',
        );
      }
      throw e;
    }
  }
}
