import { Inject, Injectable } from '@nestjs/common';
import { type EventStore, loadStream } from '@platform/event-store';
import { EVENT_STORE } from '@platform/service-kit';
import { checkCustomerOf, evolve, initialState } from '../../../customers/domain/customer.decider';
import { customerStreamId } from '../../../customers/domain/customer.events';
import { supportTicketViews, type SupportTicketListView, type TicketEventLike } from './support-ticket-view';

/** F7 list: the customer's tickets from its own stream (current, and no read model to keep). */
@Injectable()
export class ListSupportTicketsQuery {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(partnerId: string, customerId: string): Promise<SupportTicketListView> {
    const loaded = await loadStream(this.store, customerStreamId(customerId), initialState, evolve);
    const gone = checkCustomerOf(loaded.state, partnerId);
    if (gone) throw gone;
    return supportTicketViews(loaded.events as unknown as TicketEventLike[]);
  }
}
