import { ServiceInfrastructureModule } from '@platform/service-kit';
import { subscriptionsRelayMapper } from './subscriptions/infrastructure/subscriptions-integration-mapper';

/**
 * Subscriptions and batch edits (F10–F13): relay for `subscription-*` and `batch-*` streams on
 * subscriptions.events.v1. In its own file so feature modules can import it without a cycle.
 */
export const subscriptionsInfrastructure = ServiceInfrastructureModule.forService({
  service: 'subscriptions',
  relay: { producer: 'subscriptions', categories: ['subscription', 'batch'], map: subscriptionsRelayMapper() },
});
