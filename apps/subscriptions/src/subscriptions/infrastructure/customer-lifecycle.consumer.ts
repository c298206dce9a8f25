import { CodedError, deterministicUuid } from '@platform/core';
import type { IntegrationEvent } from '@platform/contracts';
import type { EventMetadata } from '@platform/event-store';
import type { InboxEffect } from '@platform/messaging';
import { SubscriptionErrorCode } from '../domain/subscription.errors';
import type { CustomerServicesQueries } from '../queries/list-customer-services/customer-services.queries';
import type { SubscriptionCommandRunner } from './subscription-command-runner';

export const CUSTOMER_LIFECYCLE_GROUP = 'subscriptions.customer-lifecycle';

/** Why a customers-service event stops the customer's provisioning runs, if it does. */
export function stopCodeOf(event: IntegrationEvent): string | undefined {
  if (event.type === 'ManagementModeChanged') return 'PROVISIONING.CUSTOMER_MANAGED';
  if (event.type === 'CustomerDisconnected') return 'PROVISIONING.CUSTOMER_DISCONNECTED';
  return undefined;
}

/**
 * F3/F6 → F12: when a customer takes its tenant back or is disconnected, every provisioning run
 * of that customer still in progress stops (`ServiceProvisioningFailed` with the reason). The
 * cancellation's event id comes from the customers event and the subscription, and the decider
 * cancels only what is in progress: a redelivered event stops nothing twice. New starts are
 * refused by the start handler (the customer directory says why).
 */
// Appends through the event store: runs before the inbox transaction (InboxEffect), not inside it.
export function customerLifecycleHandler(runner: SubscriptionCommandRunner, queries: CustomerServicesQueries): InboxEffect {
  return async (event: IntegrationEvent) => {
    const errorCode = stopCodeOf(event);
    if (!errorCode) return;
    const customerId = event.subject;
    const metadata: EventMetadata = {
      partnerId: event.partnerId,
      customerId,
      occurredAt: event.time,
      correlationId: event.correlationId,
      causationId: event.id,
      actor: event.actor,
    };
    for (const subscriptionId of await queries.inProgress(customerId)) {
      for (let attempt = 0; ; attempt++) {
        try {
          await runner.runProvisioning(subscriptionId, { type: 'CancelProvisioning', data: { errorCode } }, metadata, {
            eventIds: (i) => deterministicUuid('provisioning-stop', event.id, subscriptionId, String(i)),
          });
          break;
        } catch (e) {
          // A step was recorded at the same moment: decide again on the new state.
          if (e instanceof CodedError && e.code === SubscriptionErrorCode.CONCURRENT_UPDATE && attempt < 5) continue;
          throw e;
        }
      }
    }
  };
}
