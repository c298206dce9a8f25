import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import { type EventStore, expectedVersion, loadStream, retryOnConcurrency, toNewEvents } from '@platform/event-store';
import { assertVersionMatches, EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { checkCustomerOf, evolve as evolveCustomer, initialState as initialCustomerState } from '../../../customers/domain/customer.decider';
import { customerStreamId } from '../../../customers/domain/customer.events';
import { requireCustomerId } from '../../../customers/infrastructure/customer-response';
import { decidePartnerUser, evolvePartnerUser, initialPartnerUserState } from '../../domain/partner-user.decider';
import { partnerUserStreamId } from '../../domain/partner-user.events';
import { CLOCK } from '../../../infrastructure/clock';

export const PARTNER_USER_CONCURRENT_UPDATE = 'PARTNER_USER.CONCURRENT_UPDATE';

export interface PinOutcome {
  /** Log position of the appended event; absent when the customer already was (un)pinned. */
  position?: bigint;
}

/**
 * F4 pin / unpin: the customer must be visible to the caller's partner (its stream is read for
 * that), the pin itself is kept on the caller's `partneruser-<userId>` stream.
 */
@Injectable()
export class PinCustomerHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `ifMatch`: the customer's ETag version the client saw (412 when the customer changed since). */
  pin(actor: AuthenticatedActor, id: string, ifMatch?: number): Promise<PinOutcome> {
    return this.run(actor, id, 'PinCustomer', ifMatch);
  }

  unpin(actor: AuthenticatedActor, id: string, ifMatch?: number): Promise<PinOutcome> {
    return this.run(actor, id, 'UnpinCustomer', ifMatch);
  }

  private async run(
    actor: AuthenticatedActor,
    id: string,
    type: 'PinCustomer' | 'UnpinCustomer',
    ifMatch: number | undefined,
  ): Promise<PinOutcome> {
    const customerId = requireCustomerId(id);
    const streamId = partnerUserStreamId(actor.userId);
    return retryOnConcurrency(PARTNER_USER_CONCURRENT_UPDATE, async () => {
      const [customer, user] = await Promise.all([
        loadStream(this.store, customerStreamId(customerId), initialCustomerState, evolveCustomer),
        loadStream(this.store, streamId, initialPartnerUserState(), evolvePartnerUser),
      ]);
      // A stale If-Match is only told about the partner's own customer; anyone else gets the decider's 404.
      if (!checkCustomerOf(customer.state, actor.partnerId)) assertVersionMatches(ifMatch, customer.version);
      const decision = decidePartnerUser(
        { type, data: { customerId, actorPartnerId: actor.partnerId, customer: customer.state } },
        user.state,
      );
      if (!decision.ok) throw decision.error;
      if (decision.value.length === 0) return {};
      const result = await this.store.append(
        streamId,
        toNewEvents(decision.value, eventMetadataFor(actor, this.clock), () => uuidv7()),
        { expectedVersion: expectedVersion(user.version) },
      );
      return { position: result.lastGlobalPosition };
    });
  }
}
