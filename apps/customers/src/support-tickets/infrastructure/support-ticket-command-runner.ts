import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import { type EventStore, expectedVersion, loadStream, retryOnConcurrency, toNewEvents } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { customerStreamId } from '../../customers/domain/customer.events';
import { CONCURRENT_UPDATE } from '../../customers/infrastructure/customer-command-runner';
import { CLOCK } from '../../infrastructure/clock';
import {
  decideSupportTickets,
  evolveSupportTickets,
  initialSupportTicketsState,
  type SupportTicketCommand,
} from '../domain/support-ticket.decider';
import { supportTicketViews, type SupportTicketListView, type TicketEventLike } from '../queries/list-support-tickets/support-ticket-view';

export interface TicketCommandOutcome {
  /** Every ticket of the customer after the command. */
  tickets: SupportTicketListView;
  position: bigint;
}

/**
 * Load the customer's stream → decide with the support-ticket decider → append with the loaded
 * version. A concurrent append (another note, another ticket) makes it decide again on the
 * newer stream, so both land; a real conflict (closing a closed ticket) is the decider's 409.
 */
@Injectable()
export class SupportTicketCommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  run(actor: AuthenticatedActor, customerId: string, command: SupportTicketCommand): Promise<TicketCommandOutcome> {
    const streamId = customerStreamId(customerId);
    return retryOnConcurrency(CONCURRENT_UPDATE, async () => {
      const loaded = await loadStream(this.store, streamId, initialSupportTicketsState(), evolveSupportTickets);
      const decision = decideSupportTickets(command, loaded.state);
      if (!decision.ok) throw decision.error;
      const metadata = eventMetadataFor(actor, this.clock, { customerId });
      const events = toNewEvents(decision.value, metadata, () => uuidv7());
      const result = await this.store.append(streamId, events, { expectedVersion: expectedVersion(loaded.version) });
      return {
        tickets: supportTicketViews([...loaded.events, ...events] as unknown as TicketEventLike[]),
        position: result.lastGlobalPosition,
      };
    });
  }
}
