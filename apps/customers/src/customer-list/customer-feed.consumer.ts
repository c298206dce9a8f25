import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { deterministicUuid } from '@platform/core';
import { Topics, type IntegrationEvent } from '@platform/contracts';
import type { EventStore, NewEvent } from '@platform/event-store';
import type { MessageContext } from '@platform/messaging';
import { EVENT_STORE, ServiceConsumers } from '@platform/service-kit';
import { CUSTOMER_FEED_CATEGORY, CUSTOMER_FEED_EVENT_TYPES, CUSTOMER_FEED_TYPES, customerFeedStreamId } from './customer-feed.stream';

export const CUSTOMER_FEED_CONSUMER = 'customers.customer-feed';

/**
 * Brings the subscriptions and reporting services' integration events into the customers
 * service's own log (`customerfeed-<customerId>` streams), where the customer list projection
 * reads them like any other event: the list stays a projection of this service's log, its
 * checkpoint covers these changes too (so cached answers follow them), and a rebuild replays
 * them. The append joins the inbox transaction: each message is appended exactly once.
 */
@Injectable()
export class CustomerFeedConsumer implements OnModuleInit {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly consumers: ServiceConsumers,
  ) {}

  onModuleInit(): void {
    this.consumers.add({
      groupId: CUSTOMER_FEED_CONSUMER,
      topics: [Topics.subscriptions, Topics.reporting],
      eventTypes: CUSTOMER_FEED_EVENT_TYPES,
      handler: (event, tx, context) => this.handle(event, tx, context),
    });
  }

  async handle(event: IntegrationEvent, tx: PoolClient, context: Pick<MessageContext, 'afterCommit'>): Promise<void> {
    if (!CUSTOMER_FEED_TYPES.has(event.type)) return;
    const copy: NewEvent = {
      // Not the producer's id: in embedded mode both logs share one table, and ids are unique there.
      id: deterministicUuid(CUSTOMER_FEED_CATEGORY, event.id),
      type: event.type,
      schemaVersion: event.version,
      data: event.data as unknown as Record<string, unknown>,
      metadata: {
        partnerId: event.partnerId,
        customerId: event.subject,
        occurredAt: event.time,
        correlationId: event.correlationId,
        causationId: event.id,
        actor: event.actor,
        source: event.source,
      },
    };
    const stream = customerFeedStreamId(event.subject);
    if (this.store.appendInTransaction) {
      const appended = await this.store.appendInTransaction(tx, stream, [copy], { expectedVersion: 'any' });
      context.afterCommit?.(appended.committed);
    } else {
      // The log is elsewhere (EventStoreDB): a redelivered message finds its copy by id and appends nothing.
      await this.store.append(stream, [copy], { expectedVersion: 'any' });
    }
  }
}
