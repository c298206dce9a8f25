import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@platform/contracts';
import { systemClock, type Clock } from '@platform/core';
import { CustomerDirectory, CustomerDirectoryModule } from '@platform/customer-directory';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, SERVICE_CONFIG, ServiceConsumers, ServiceProjections, type ServiceConfig } from '@platform/service-kit';
import type { Pool } from 'pg';
import { subscriptionsInfrastructure } from '../subscriptions-infrastructure';
import { AddServicesHandler } from './commands/add-services/add-services.handler';
import { AddServicesHttpController } from './commands/add-services/add-services.http.controller';
import { ChangeExpiredServicesVisibilityHandler } from './commands/change-expired-services-visibility/change-expired-services-visibility.handler';
import { ChangeExpiredServicesVisibilityHttpController } from './commands/change-expired-services-visibility/change-expired-services-visibility.http.controller';
import { EditSubscriptionHandler } from './commands/edit-subscription/edit-subscription.handler';
import { EditSubscriptionHttpController } from './commands/edit-subscription/edit-subscription.http.controller';
import { StartServicesHandler } from './commands/start-services/start-services.handler';
import { StartServicesHttpController } from './commands/start-services/start-services.http.controller';
import { CustomerAccess } from './infrastructure/customer-access';
import { CUSTOMER_LIFECYCLE_GROUP, customerLifecycleHandler } from './infrastructure/customer-lifecycle.consumer';
import { DEMO_SUBSCRIPTIONS_GROUP, demoSubscriptionsHandler } from './infrastructure/demo-subscriptions.consumer';
import { ExpiryScheduler } from './infrastructure/expiry-scheduler';
import { ProvisioningProcessManager } from './infrastructure/provisioning-process-manager';
import { PROVISIONING_STEP_RUNNER, SimulatedProductEnvironment, type ProvisioningStepRunner } from './infrastructure/provisioning-step-runner';
import { SubscriptionBatchTargetService } from './infrastructure/subscription-batch-target.service';
import { SubscriptionCommandRunner } from './infrastructure/subscription-command-runner';
import { SUBSCRIPTIONS_CLOCK, SUBSCRIPTIONS_DIRECTORY_GROUP, SUBSCRIPTIONS_DIRECTORY_TABLE } from './infrastructure/tokens';
import { CustomerServicesProjection, migrateCustomerServices } from './projections/customer-services.projection';
import { GetServiceCatalogHttpController } from './queries/get-service-catalog/get-service-catalog.http.controller';
import { CustomerServicesQueries } from './queries/list-customer-services/customer-services.queries';
import { ListCustomerServicesHttpController } from './queries/list-customer-services/list-customer-services.http.controller';
import { ListCustomerServicesQuery } from './queries/list-customer-services/list-customer-services.query';
import { SUBSCRIPTION_BATCH_TARGET } from './subscription-batch-target';

/** The subscriptions service's customer directory (customers' integration events → `subscriptions_customer_directory`). */
export const subscriptionsCustomerDirectory = CustomerDirectoryModule.forService(subscriptionsInfrastructure, {
  table: SUBSCRIPTIONS_DIRECTORY_TABLE,
  groupId: SUBSCRIPTIONS_DIRECTORY_GROUP,
});

/**
 * Service catalogue (F10), subscriptions (F10, F11) with their expiry, and starting services
 * (F12). Exports `SUBSCRIPTION_BATCH_TARGET` for the batch edit (F13) and the customer directory.
 */
@Module({
  imports: [subscriptionsInfrastructure, subscriptionsCustomerDirectory],
  controllers: [
    GetServiceCatalogHttpController,
    ListCustomerServicesHttpController,
    AddServicesHttpController,
    EditSubscriptionHttpController,
    StartServicesHttpController,
    ChangeExpiredServicesVisibilityHttpController,
  ],
  providers: [
    { provide: SUBSCRIPTIONS_CLOCK, useValue: systemClock },
    { provide: PROVISIONING_STEP_RUNNER, useClass: SimulatedProductEnvironment },
    {
      provide: SubscriptionCommandRunner,
      inject: [EVENT_STORE, SUBSCRIPTIONS_CLOCK],
      useFactory: (store: EventStore, clock: Clock) => new SubscriptionCommandRunner(store, clock),
    },
    { provide: CustomerAccess, inject: [CustomerDirectory], useFactory: (d: CustomerDirectory) => new CustomerAccess(d) },
    { provide: CustomerServicesQueries, inject: [PG_POOL], useFactory: (pool: Pool) => new CustomerServicesQueries(pool) },
    {
      provide: ExpiryScheduler,
      inject: [PG_POOL, SubscriptionCommandRunner, SUBSCRIPTIONS_CLOCK],
      useFactory: (pool: Pool, runner: SubscriptionCommandRunner, clock: Clock) => new ExpiryScheduler(pool, runner, clock),
    },
    {
      provide: ListCustomerServicesQuery,
      inject: [PG_POOL, CustomerAccess, CustomerServicesQueries],
      useFactory: (pool: Pool, access: CustomerAccess, queries: CustomerServicesQueries) => new ListCustomerServicesQuery(pool, access, queries),
    },
    {
      provide: AddServicesHandler,
      inject: [PG_POOL, EVENT_STORE, SubscriptionCommandRunner, CustomerAccess, CustomerServicesQueries, SUBSCRIPTIONS_CLOCK],
      useFactory: (p: Pool, s: EventStore, r: SubscriptionCommandRunner, a: CustomerAccess, q: CustomerServicesQueries, c: Clock) =>
        new AddServicesHandler(p, s, r, a, q, c),
    },
    {
      provide: EditSubscriptionHandler,
      inject: [SubscriptionCommandRunner, CustomerAccess, SUBSCRIPTIONS_CLOCK],
      useFactory: (r: SubscriptionCommandRunner, a: CustomerAccess, c: Clock) => new EditSubscriptionHandler(r, a, c),
    },
    {
      provide: StartServicesHandler,
      inject: [PG_POOL, SubscriptionCommandRunner, CustomerAccess, CustomerServicesQueries, SUBSCRIPTIONS_CLOCK],
      useFactory: (p: Pool, r: SubscriptionCommandRunner, a: CustomerAccess, q: CustomerServicesQueries, c: Clock) =>
        new StartServicesHandler(p, r, a, q, c),
    },
    {
      provide: ChangeExpiredServicesVisibilityHandler,
      inject: [EVENT_STORE, CustomerAccess, SUBSCRIPTIONS_CLOCK],
      useFactory: (s: EventStore, a: CustomerAccess, c: Clock) => new ChangeExpiredServicesVisibilityHandler(s, a, c),
    },
    {
      provide: SUBSCRIPTION_BATCH_TARGET,
      inject: [SubscriptionCommandRunner, CustomerDirectory, CustomerServicesQueries, SUBSCRIPTIONS_CLOCK],
      useFactory: (r: SubscriptionCommandRunner, d: CustomerDirectory, q: CustomerServicesQueries, c: Clock) =>
        new SubscriptionBatchTargetService(r, d, q, c),
    },
  ],
  exports: [SUBSCRIPTION_BATCH_TARGET, subscriptionsCustomerDirectory, SubscriptionCommandRunner, CustomerServicesQueries],
})
export class SubscriptionsFeatureModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
    private readonly consumers: ServiceConsumers,
    private readonly runner: SubscriptionCommandRunner,
    private readonly queries: CustomerServicesQueries,
    private readonly scheduler: ExpiryScheduler,
    private readonly directory: CustomerDirectory,
    @Inject(PROVISIONING_STEP_RUNNER) private readonly steps: ProvisioningStepRunner,
    @Inject(SUBSCRIPTIONS_CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateCustomerServices(this.pool);
    this.projections.add(new CustomerServicesProjection((dueAt) => this.scheduler.notify(dueAt)));
    this.projections.add(new ProvisioningProcessManager(this.runner, this.steps, this.directory, this.clock));
    this.consumers.add({
      groupId: CUSTOMER_LIFECYCLE_GROUP,
      topics: [Topics.customers],
      beforeTransaction: customerLifecycleHandler(this.runner, this.queries),
      eventTypes: ['ManagementModeChanged', 'CustomerDisconnected'], // stopCodeOf's
    });
    if (this.config.mode === 'embedded') {
      this.consumers.add({
        groupId: DEMO_SUBSCRIPTIONS_GROUP,
        topics: [Topics.customers],
        beforeTransaction: demoSubscriptionsHandler(this.runner),
        eventTypes: ['InvitationAccepted'],
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
  }

  /** First phase of shutdown, before the pool closes. */
  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}
