import type { RecordedEvent } from '@platform/event-store';
import type { IntegrationEventMapper } from '@platform/messaging';
import { contractEventMapper } from '@platform/service-kit';
import { SUBSCRIPTION_STREAM_CATEGORY, type SubscriptionSnapshot } from '../domain/subscription.events';

/** The contract's view of a subscription (SubscriptionV1): term start and renewal stay inside. */
const contractSubscription = (s: SubscriptionSnapshot): Record<string, unknown> => ({
  subscriptionId: s.subscriptionId,
  serviceCode: s.serviceCode,
  plan: s.plan,
  quantity: s.quantity,
  unit: s.unit,
  termEndsAt: s.termEndsAt,
  pooled: s.pooled,
});

/**
 * Subscription domain events → `subscriptions.events.v1`: the contract-named events keep only
 * the contract's fields, a renewal is announced as the `SubscriptionChanged` it amounts to, the
 * provisioning steps stay internal. Anything else (batch streams) goes through the default mapper.
 */
export function subscriptionsRelayMapper(): IntegrationEventMapper {
  const contracts = contractEventMapper('subscriptions');
  return (event: RecordedEvent) => {
    if (!event.streamId.startsWith(`${SUBSCRIPTION_STREAM_CATEGORY}-`)) return contracts(event);
    switch (event.type) {
      case 'ServicesAdded': {
        const subscriptions = (event.data as { subscriptions: SubscriptionSnapshot[] }).subscriptions.map(contractSubscription);
        return contracts({ ...event, data: { subscriptions } });
      }
      case 'SubscriptionChanged':
      case 'SubscriptionRenewed':
        return contracts({ ...event, type: 'SubscriptionChanged', data: contractSubscription(event.data as unknown as SubscriptionSnapshot) });
      case 'SubscriptionExpired':
      case 'ServicesStarted':
      case 'ServiceProvisioningFailed':
        return contracts(event);
      default:
        return null;
    }
  };
}
