import type { IntegrationEventEnvelope } from '@platform/contracts';
import type { RecordedEvent } from '@platform/event-store';
import { subscriptionsRelayMapper } from './subscriptions-integration-mapper';

const snapshot = {
  subscriptionId: '01936a2f-0000-7000-8000-000000000001',
  serviceCode: 'cloud-backup-m365',
  plan: 'paid',
  quantity: 250,
  unit: 'seats',
  termStartsAt: '2026-01-01T00:00:00.000Z',
  termEndsAt: '2027-01-01T00:00:00.000Z',
  pooled: true,
  autoRenew: true,
};
const contractView = { subscriptionId: snapshot.subscriptionId, serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 250, unit: 'seats', termEndsAt: snapshot.termEndsAt, pooled: true };

const recorded = (type: string, data: Record<string, unknown>, streamId = `subscription-${snapshot.subscriptionId}`): RecordedEvent => ({
  id: '01936a2f-0000-7000-8000-0000000000e1',
  type,
  schemaVersion: 1,
  data,
  metadata: {
    partnerId: '01936a2f-0000-7000-8000-0000000000a1',
    customerId: '01936a2f-0000-7000-8000-0000000000c1',
    occurredAt: '2026-03-01T10:00:00.000Z',
    correlationId: '01936a2f-0000-7000-8000-0000000000d1',
    actor: { type: 'user', id: 'u1' },
  },
  streamId,
  streamVersion: 1,
  globalPosition: 1n,
  recordedAt: new Date(),
});

const map = subscriptionsRelayMapper();
const one = (e: RecordedEvent) => map(e) as IntegrationEventEnvelope;

describe('subscriptions relay mapper', () => {
  it('announces added services with the contract fields only', () => {
    const out = one(recorded('ServicesAdded', { subscriptions: [snapshot] }));
    expect(out).toMatchObject({ type: 'ServicesAdded', version: 1, subject: '01936a2f-0000-7000-8000-0000000000c1', data: { subscriptions: [contractView] } });
  });

  it('announces an edit, a batch edit and a renewal as SubscriptionChanged', () => {
    expect(one(recorded('SubscriptionChanged', { ...snapshot, quantity: 300, batchId: 'b1' }))).toMatchObject({
      type: 'SubscriptionChanged',
      data: { ...contractView, quantity: 300 },
    });
    expect(one(recorded('SubscriptionRenewed', { ...snapshot, termEndsAt: '2028-01-01T00:00:00.000Z' }))).toMatchObject({
      type: 'SubscriptionChanged',
      data: { ...contractView, termEndsAt: '2028-01-01T00:00:00.000Z' },
    });
  });

  it('announces expiry, started services and failures as they are; provisioning steps stay inside', () => {
    expect(one(recorded('SubscriptionExpired', { subscriptionId: snapshot.subscriptionId, serviceCode: 'cloud-backup-m365' })).type).toBe('SubscriptionExpired');
    expect(
      one(recorded('ServicesStarted', { provisioningId: '01936a2f-0000-7000-8000-0000000000f1', services: [{ serviceCode: 'cloud-backup-m365', state: 'partially-completed' }] })).type,
    ).toBe('ServicesStarted');
    expect(
      one(
        recorded('ServiceProvisioningFailed', {
          provisioningId: '01936a2f-0000-7000-8000-0000000000f1',
          serviceCode: 'cloud-backup-m365',
          errorCode: 'PROVISIONING.CUSTOMER_MANAGED',
          retryable: false,
        }),
      ).type,
    ).toBe('ServiceProvisioningFailed');
    expect(map(recorded('ProvisioningStepSucceeded', { provisioningId: 'x', step: 'connect-tenant' }))).toBeNull();
    expect(map(recorded('ServiceProvisioningRequested', { provisioningId: 'x', serviceCode: 'c', steps: [] }))).toBeNull();
  });
});
