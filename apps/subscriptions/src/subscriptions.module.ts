import { Module } from '@nestjs/common';
import { ServiceBatchesModule } from './service-batches/service-batches.module';
import { SubscriptionsFeatureModule } from './subscriptions/subscriptions-feature.module';
import { subscriptionsInfrastructure } from './subscriptions-infrastructure';

// Defined in its own file (with the relay's mapper) so feature modules can import it without a cycle.
export { subscriptionsInfrastructure };

/** Subscriptions and batch edits (F10–F13). */
@Module({
  imports: [subscriptionsInfrastructure, SubscriptionsFeatureModule, ServiceBatchesModule],
  exports: [subscriptionsInfrastructure, SubscriptionsFeatureModule],
})
export class SubscriptionsModule {}
