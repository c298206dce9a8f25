import { defineContract } from './contract';
import { s } from './schema-builders';

/** Contracts produced by the subscriptions service on `subscriptions.events.v1` (F10–F13). */

export const PLANS = ['trial', 'paid'] as const;
export const QUANTITY_UNITS = ['seats', 'storage-gb'] as const;

export interface SubscriptionV1 {
  subscriptionId: string;
  /** Catalogue code (`cloud-backup-m365`, `policies-m365`, …). */
  serviceCode: string;
  plan: (typeof PLANS)[number];
  quantity: number;
  unit: (typeof QUANTITY_UNITS)[number];
  termEndsAt: string;
  pooled: boolean;
}

const subscriptionProperties = {
  subscriptionId: s.uuid(),
  serviceCode: s.string({ maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' }),
  plan: s.enumOf(PLANS),
  quantity: s.integer(1),
  unit: s.enumOf(QUANTITY_UNITS),
  termEndsAt: s.dateTime(),
  pooled: s.boolean(),
};

const exampleSubscription: SubscriptionV1 = {
  subscriptionId: '01936a2f-0000-7000-8000-000000000001',
  serviceCode: 'cloud-backup-m365',
  plan: 'paid',
  quantity: 250,
  unit: 'seats',
  termEndsAt: '2027-01-01T00:00:00.000Z',
  pooled: true,
};

export interface ServicesAddedV1 {
  subscriptions: SubscriptionV1[];
}

export const servicesAddedV1 = defineContract<'ServicesAdded', 1, ServicesAddedV1>({
  type: 'ServicesAdded',
  version: 1,
  producer: 'subscriptions',
  description: 'Services were added to the customer (F10), one subscription each.',
  personalData: { carries: false },
  schema: s.object({ subscriptions: s.array(s.object(subscriptionProperties), { minItems: 1 }) }),
  example: { subscriptions: [exampleSubscription] },
});

export type SubscriptionChangedV1 = SubscriptionV1;

export const subscriptionChangedV1 = defineContract<'SubscriptionChanged', 1, SubscriptionChangedV1>({
  type: 'SubscriptionChanged',
  version: 1,
  producer: 'subscriptions',
  description: 'A subscription was edited (F11, or one customer of a batch edit in F13); carries its state after the change.',
  personalData: { carries: false },
  schema: s.object(subscriptionProperties),
  example: { ...exampleSubscription, quantity: 300 },
});

export interface SubscriptionExpiredV1 {
  subscriptionId: string;
  serviceCode: string;
}

export const subscriptionExpiredV1 = defineContract<'SubscriptionExpired', 1, SubscriptionExpiredV1>({
  type: 'SubscriptionExpired',
  version: 1,
  producer: 'subscriptions',
  description: 'A subscription reached the end of its term (F11).',
  personalData: { carries: false },
  schema: s.object({ subscriptionId: subscriptionProperties.subscriptionId, serviceCode: subscriptionProperties.serviceCode }),
  example: { subscriptionId: exampleSubscription.subscriptionId, serviceCode: exampleSubscription.serviceCode },
});

export const STARTED_STATES = ['started', 'partially-completed'] as const;

export interface ServicesStartedV1 {
  provisioningId: string;
  services: Array<{ serviceCode: string; state: (typeof STARTED_STATES)[number] }>;
}

export const servicesStartedV1 = defineContract<'ServicesStarted', 1, ServicesStartedV1>({
  type: 'ServicesStarted',
  version: 1,
  producer: 'subscriptions',
  description:
    'A provisioning run (F12) finished for the services listed, each started or partially completed; failures come as ServiceProvisioningFailed.',
  personalData: { carries: false },
  schema: s.object({
    provisioningId: s.uuid(),
    services: s.array(s.object({ serviceCode: subscriptionProperties.serviceCode, state: s.enumOf(STARTED_STATES) }), {
      minItems: 1,
    }),
  }),
  example: {
    provisioningId: '01936a2f-0000-7000-8000-000000000002',
    services: [{ serviceCode: 'cloud-backup-m365', state: 'started' }],
  },
});

export interface ServiceProvisioningFailedV1 {
  provisioningId: string;
  serviceCode: string;
  /** `AREA.REASON`. */
  errorCode: string;
  retryable: boolean;
}

export const serviceProvisioningFailedV1 = defineContract<'ServiceProvisioningFailed', 1, ServiceProvisioningFailedV1>({
  type: 'ServiceProvisioningFailed',
  version: 1,
  producer: 'subscriptions',
  description: 'Starting one service for the customer failed (F12).',
  personalData: { carries: false },
  schema: s.object({
    provisioningId: s.uuid(),
    serviceCode: subscriptionProperties.serviceCode,
    errorCode: s.string({ pattern: '^[A-Z][A-Z0-9_]*\\.[A-Z][A-Z0-9_]*$' }),
    retryable: s.boolean(),
  }),
  example: {
    provisioningId: '01936a2f-0000-7000-8000-000000000002',
    serviceCode: 'cloud-backup-google',
    errorCode: 'PROVISIONING.CONSENT_MISSING',
    retryable: true,
  },
});

export const subscriptionsContracts = [
  servicesAddedV1,
  subscriptionChangedV1,
  subscriptionExpiredV1,
  servicesStartedV1,
  serviceProvisioningFailedV1,
] as const;
