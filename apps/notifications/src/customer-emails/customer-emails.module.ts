import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { Clock, IdGenerator } from '@platform/core';
import { Topics } from '@platform/contracts';
import { ProtectedEventStore, type EventStore } from '@platform/event-store';
import { EVENT_STORE, ServiceConsumers } from '@platform/service-kit';
import { CustomerFactsStore } from '../customer-facts/customer-facts.store';
import { EmailsModule } from '../emails/emails.module';
import { EmailOutbox } from '../emails/infrastructure/email-outbox';
import { EmailQueue } from '../emails/infrastructure/email-queue';
import { ReportRecipientsStore } from '../report-recipients/infrastructure/report-recipients.store';
import { VerificationTokenSigner } from '../report-recipients/infrastructure/verification-token';
import { NOTIFICATIONS_CLOCK, NOTIFICATIONS_IDS } from '../shared/notifications.tokens';
import { CUSTOMER_EMAIL_EVENT_TYPES, CustomerEventsHandler } from './customer-events.handler';

export const CUSTOMER_EMAILS_CONSUMER = 'notifications.customer-emails';

/** Invitation and verification emails, customer facts and disconnection, from customers.events.v1. */
@Module({ imports: [EmailsModule] })
export class CustomerEmailsModule implements OnModuleInit {
  constructor(
    private readonly consumers: ServiceConsumers,
    private readonly facts: CustomerFactsStore,
    private readonly recipients: ReportRecipientsStore,
    private readonly queue: EmailQueue,
    private readonly outbox: EmailOutbox,
    private readonly signer: VerificationTokenSigner,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATIONS_IDS) private readonly ids: IdGenerator,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    const store = this.store;
    const handler = new CustomerEventsHandler({
      facts: this.facts,
      recipients: this.recipients,
      queue: this.queue,
      outbox: this.outbox,
      signer: this.signer,
      clock: this.clock,
      ids: this.ids,
      shred: store instanceof ProtectedEventStore ? (customerId: string, tx: PoolClient) => store.shred(customerId, tx) : undefined,
    });
    this.consumers.add({ groupId: CUSTOMER_EMAILS_CONSUMER, topics: [Topics.customers], handler: handler.handle, eventTypes: CUSTOMER_EMAIL_EVENT_TYPES });
  }
}
