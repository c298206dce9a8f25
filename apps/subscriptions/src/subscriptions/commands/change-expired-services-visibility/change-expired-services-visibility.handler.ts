import { ConflictError, uuidv7, type Clock } from '@platform/core';
import { ConcurrencyError, type EventStore } from '@platform/event-store';
import { assertVersionMatches, eventMetadataFor } from '@platform/service-kit';
import { decideServicesView, evolveServicesView, initialServicesViewState, type ServicesViewState } from '../../domain/services-view.decider';
import { SubscriptionErrorCode } from '../../domain/subscription.errors';
import { subscriptionViewStreamId, type ExpiredServicesVisibilityChanged } from '../../domain/subscription.events';
import type { CustomerAccess } from '../../infrastructure/customer-access';
import type { ChangeExpiredServicesVisibilityCommand } from './change-expired-services-visibility.command';

export interface VisibilityOutcome {
  state: ServicesViewState;
  version: number;
  position?: bigint;
}

/** F11: hide or show a customer's expired services. */
export class ChangeExpiredServicesVisibilityHandler {
  constructor(
    private readonly store: EventStore,
    private readonly access: CustomerAccess,
    private readonly clock: Clock,
  ) {}

  async execute(command: ChangeExpiredServicesVisibilityCommand): Promise<VisibilityOutcome> {
    const { actor, customerId } = command;
    await this.access.visible(actor.partnerId, customerId);
    const streamId = subscriptionViewStreamId(customerId);
    const recorded = await this.store.readStream(streamId);
    const version = recorded.length === 0 ? 0 : recorded[recorded.length - 1].streamVersion;
    assertVersionMatches(command.ifMatch, version);
    const state = recorded.reduce<ServicesViewState>(
      (s, e) => evolveServicesView(s, e as unknown as ExpiredServicesVisibilityChanged),
      initialServicesViewState,
    );
    const decision = decideServicesView({ type: 'ChangeExpiredServicesVisibility', data: { hidden: command.hidden } }, state);
    const events = decision.ok ? decision.value : [];
    if (events.length === 0) return { state, version };
    const metadata = eventMetadataFor(actor, this.clock, { customerId });
    try {
      const result = await this.store.append(
        streamId,
        events.map((e) => ({ id: uuidv7(), type: e.type, schemaVersion: 1, data: e.data, metadata })),
        { expectedVersion: version === 0 ? 'no_stream' : version },
      );
      return {
        state: events.reduce(evolveServicesView, state),
        version: result.nextExpectedVersion,
        position: result.lastGlobalPosition,
      };
    } catch (e) {
      if (e instanceof ConcurrencyError) {
        throw new ConflictError(SubscriptionErrorCode.CONCURRENT_UPDATE, 'The setting was changed by another request at the same time: retry.');
      }
      throw e;
    }
  }
}
