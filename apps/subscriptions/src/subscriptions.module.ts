import { Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@platform/service-kit';

/** Subscriptions and batch edits (F10–F13): relay for `subscription-*` and `batch-*` streams on subscriptions.events.v1. */
export const subscriptionsInfrastructure = ServiceInfrastructureModule.forService({
  service: 'subscriptions',
  relay: { producer: 'subscriptions', categories: ['subscription', 'batch'] },
});

@Module({
  imports: [subscriptionsInfrastructure],
  exports: [subscriptionsInfrastructure],
})
export class SubscriptionsModule {}
