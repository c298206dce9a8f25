import { Module, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@platform/contracts';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, ServiceConsumers, ServiceProjections } from '@platform/service-kit';
import { EmailsModule } from '../emails/emails.module';
import { BillingProfilesHttpController } from './billing-profiles.http.controller';
import { CreateBillingProfileHandler } from './commands/create-billing-profile/create-billing-profile.handler';
import { DeleteBillingProfileHandler } from './commands/delete-billing-profile/delete-billing-profile.handler';
import { UpdateBillingProfileHandler } from './commands/update-billing-profile/update-billing-profile.handler';
import { BillingProfileRunner } from './infrastructure/billing-profile.runner';
import { BillingReportScheduler } from './infrastructure/billing-report.scheduler';
import { handleSubscriptionEvent } from './infrastructure/subscription-events.handler';
import { billingProfilesProjection } from './projections/billing-profiles.projection';
import { ListBillingProfilesQuery } from './queries/list-billing-profiles/list-billing-profiles.query';

/** Billing profiles (CRUD, event-sourced, read model) and the billing report scheduler. */
@Module({
  imports: [EmailsModule],
  controllers: [BillingProfilesHttpController],
  providers: [
    { provide: BillingProfileRunner, inject: [EVENT_STORE], useFactory: (store: EventStore) => new BillingProfileRunner(store) },
    CreateBillingProfileHandler,
    UpdateBillingProfileHandler,
    DeleteBillingProfileHandler,
    ListBillingProfilesQuery,
    BillingReportScheduler,
  ],
})
export class BillingProfilesModule implements OnModuleInit {
  constructor(
    private readonly projections: ServiceProjections,
    private readonly consumers: ServiceConsumers,
  ) {}

  onModuleInit(): void {
    this.projections.add(billingProfilesProjection);
    this.consumers.add({
      groupId: 'notifications.subscriptions',
      topics: [Topics.subscriptions],
      handler: handleSubscriptionEvent,
      eventTypes: ['ServicesAdded', 'SubscriptionChanged', 'SubscriptionExpired'],
    });
  }
}
