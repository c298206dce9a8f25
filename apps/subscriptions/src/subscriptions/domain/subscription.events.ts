import type { QuantityUnit } from './service-catalog';

/**
 * Domain events of the `subscription-<uuid>` stream: one stream per subscription, holding the
 * subscription (F10, F11) and the provisioning of its service (F12). The partner and customer
 * ids travel in the event metadata.
 *
 * Events named like the integration contracts (ServicesAdded, SubscriptionChanged,
 * SubscriptionExpired, ServicesStarted, ServiceProvisioningFailed) carry at least the
 * contract's fields (the relay mapper drops the rest); the customers service's list reads them.
 */

export type Plan = 'trial' | 'paid';

/** A subscription as the events carry it. */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  serviceCode: string;
  plan: Plan;
  quantity: number;
  unit: QuantityUnit;
  /** ISO 8601 UTC. */
  termStartsAt: string;
  /** ISO 8601 UTC: the subscription expires (or renews) then. */
  termEndsAt: string;
  pooled: boolean;
  autoRenew: boolean;
}

export type ServicesAdded = { type: 'ServicesAdded'; data: { subscriptions: [SubscriptionSnapshot] } };

/** The state after an edit (F11) or a batch edit (F13, with its batch id). */
export type SubscriptionChanged = {
  type: 'SubscriptionChanged';
  data: SubscriptionSnapshot & { batchId?: string };
};

/** Term end with auto-renewal: a new term of the same length starts. */
export type SubscriptionRenewed = { type: 'SubscriptionRenewed'; data: SubscriptionSnapshot };

export type SubscriptionExpired = { type: 'SubscriptionExpired'; data: { subscriptionId: string; serviceCode: string } };

export interface ProvisioningStepPlan {
  code: string;
  required: boolean;
}

export type ServiceProvisioningRequested = {
  type: 'ServiceProvisioningRequested';
  data: { provisioningId: string; serviceCode: string; steps: ProvisioningStepPlan[] };
};

export type ProvisioningStepSucceeded = {
  type: 'ProvisioningStepSucceeded';
  data: { provisioningId: string; step: string };
};

export type ProvisioningStepFailed = {
  type: 'ProvisioningStepFailed';
  data: { provisioningId: string; step: string; errorCode: string; retryable: boolean };
};

export type ServicesStarted = {
  type: 'ServicesStarted';
  data: { provisioningId: string; services: [{ serviceCode: string; state: 'started' | 'partially-completed' }] };
};

export type ServiceProvisioningFailed = {
  type: 'ServiceProvisioningFailed';
  data: { provisioningId: string; serviceCode: string; errorCode: string; retryable: boolean };
};

export type SubscriptionEvent =
  | ServicesAdded
  | SubscriptionChanged
  | SubscriptionRenewed
  | SubscriptionExpired
  | ServiceProvisioningRequested
  | ProvisioningStepSucceeded
  | ProvisioningStepFailed
  | ServicesStarted
  | ServiceProvisioningFailed;

export const SUBSCRIPTION_STREAM_CATEGORY = 'subscription';
export const subscriptionStreamId = (subscriptionId: string): string => `${SUBSCRIPTION_STREAM_CATEGORY}-${subscriptionId}`;

/** Per-customer view settings of the services list (F11): `subscriptionview-<customerId>`. */
export const SUBSCRIPTION_VIEW_STREAM_CATEGORY = 'subscriptionview';
export const subscriptionViewStreamId = (customerId: string): string => `${SUBSCRIPTION_VIEW_STREAM_CATEGORY}-${customerId}`;

export type ExpiredServicesVisibilityChanged = { type: 'ExpiredServicesVisibilityChanged'; data: { hidden: boolean } };
