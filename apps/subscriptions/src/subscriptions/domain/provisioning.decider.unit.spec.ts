import { ConflictError, NotFoundError } from '@platform/core';
import { canStart, decideProvisioning, nextStep, type ProvisioningCommand } from './provisioning.decider';
import { evolve, initialState, type SubscriptionEventEnvelope, type SubscriptionState } from './subscription.decider';
import type { SubscriptionEvent, SubscriptionSnapshot } from './subscription.events';

const SUB = '01936a2e-0000-7000-8000-0000000000a1';
const P1 = '01936a2e-0000-7000-8000-0000000000b1';
const P2 = '01936a2e-0000-7000-8000-0000000000b2';

const snapshot: SubscriptionSnapshot = {
  subscriptionId: SUB,
  serviceCode: 'policies-m365',
  plan: 'paid',
  quantity: 10,
  unit: 'seats',
  termStartsAt: '2026-01-01T00:00:00.000Z',
  termEndsAt: '2027-01-01T00:00:00.000Z',
  pooled: false,
  autoRenew: false,
};
const added: SubscriptionEvent = { type: 'ServicesAdded', data: { subscriptions: [snapshot] } };
const requested: SubscriptionEvent = {
  type: 'ServiceProvisioningRequested',
  data: {
    provisioningId: P1,
    serviceCode: 'policies-m365',
    steps: [
      { code: 'connect-tenant', required: true },
      { code: 'enable-default-policies', required: true },
      { code: 'run-first-scan', required: false },
    ],
  },
};
const succeeded = (step: string, provisioningId = P1): SubscriptionEvent => ({ type: 'ProvisioningStepSucceeded', data: { provisioningId, step } });

const fold = (...events: SubscriptionEvent[]): SubscriptionState =>
  events.map((e): SubscriptionEventEnvelope => ({ ...e, metadata: { partnerId: 'p', customerId: 'c' } })).reduce(evolve, initialState);

function given(...events: SubscriptionEvent[]) {
  const state = fold(...events);
  return {
    state,
    when: (command: ProvisioningCommand) => decideProvisioning(command, state),
  };
}

const ok = (command: ProvisioningCommand, ...events: SubscriptionEvent[]) => {
  const d = given(...events).when(command);
  if (!d.ok) throw d.error;
  return d.value;
};

describe('provisioning decider (F12)', () => {
  it("requests the catalogue's steps for a service not started", () => {
    expect(canStart(fold(added))).toBe(true);
    expect(ok({ type: 'RequestProvisioning', data: { provisioningId: P1 } }, added)).toEqual([requested]);
  });

  it('is idempotent for the same request and refuses a second one while in progress or started', () => {
    expect(ok({ type: 'RequestProvisioning', data: { provisioningId: P1 } }, added, requested)).toEqual([]);
    const d = given(added, requested).when({ type: 'RequestProvisioning', data: { provisioningId: P2 } });
    expect(!d.ok && d.error.code).toBe('PROVISIONING.IN_PROGRESS');
    expect(!d.ok && d.error).toBeInstanceOf(ConflictError);
    const started: SubscriptionEvent = { type: 'ServicesStarted', data: { provisioningId: P1, services: [{ serviceCode: 'policies-m365', state: 'started' }] } };
    const again = given(added, requested, started).when({ type: 'RequestProvisioning', data: { provisioningId: P2 } });
    expect(!again.ok && again.error.code).toBe('PROVISIONING.ALREADY_STARTED');
  });

  it('refuses an unknown or expired subscription', () => {
    const unknown = given().when({ type: 'RequestProvisioning', data: { provisioningId: P1 } });
    expect(!unknown.ok && unknown.error).toBeInstanceOf(NotFoundError);
    const expired = given(added, { type: 'SubscriptionExpired', data: { subscriptionId: SUB, serviceCode: 'policies-m365' } }).when({
      type: 'RequestProvisioning',
      data: { provisioningId: P1 },
    });
    expect(!expired.ok && expired.error.code).toBe('SUBSCRIPTION.EXPIRED');
  });

  it('runs the steps in order and ends started when every step succeeded', () => {
    expect(nextStep(fold(added, requested))?.code).toBe('connect-tenant');
    expect(nextStep(fold(added, requested, succeeded('connect-tenant')))?.code).toBe('enable-default-policies');
    expect(
      ok(
        { type: 'RecordStepResult', data: { provisioningId: P1, step: 'run-first-scan', ok: true } },
        added,
        requested,
        succeeded('connect-tenant'),
        succeeded('enable-default-policies'),
      ),
    ).toEqual([
      succeeded('run-first-scan'),
      { type: 'ServicesStarted', data: { provisioningId: P1, services: [{ serviceCode: 'policies-m365', state: 'started' }] } },
    ]);
    const done = fold(added, requested, succeeded('connect-tenant'), succeeded('enable-default-policies'), succeeded('run-first-scan'), {
      type: 'ServicesStarted',
      data: { provisioningId: P1, services: [{ serviceCode: 'policies-m365', state: 'started' }] },
    });
    expect(done.provisioning.state).toBe('started');
    expect(nextStep(done)).toBeUndefined();
  });

  it('ends partially completed when an optional step failed', () => {
    expect(
      ok(
        { type: 'RecordStepResult', data: { provisioningId: P1, step: 'run-first-scan', ok: false, errorCode: 'PROVISIONING.SCAN_FAILED', retryable: true } },
        added,
        requested,
        succeeded('connect-tenant'),
        succeeded('enable-default-policies'),
      ),
    ).toEqual([
      { type: 'ProvisioningStepFailed', data: { provisioningId: P1, step: 'run-first-scan', errorCode: 'PROVISIONING.SCAN_FAILED', retryable: true } },
      { type: 'ServicesStarted', data: { provisioningId: P1, services: [{ serviceCode: 'policies-m365', state: 'partially-completed' }] } },
    ]);
  });

  it('fails the service at a failed required step, and may be started again', () => {
    const events = ok(
      { type: 'RecordStepResult', data: { provisioningId: P1, step: 'connect-tenant', ok: false, errorCode: 'PROVISIONING.CONSENT_MISSING', retryable: true } },
      added,
      requested,
    );
    expect(events).toEqual([
      { type: 'ProvisioningStepFailed', data: { provisioningId: P1, step: 'connect-tenant', errorCode: 'PROVISIONING.CONSENT_MISSING', retryable: true } },
      { type: 'ServiceProvisioningFailed', data: { provisioningId: P1, serviceCode: 'policies-m365', errorCode: 'PROVISIONING.CONSENT_MISSING', retryable: true } },
    ]);
    const failed = fold(added, requested, ...events);
    expect(failed.provisioning.state).toBe('failed');
    expect(nextStep(failed)).toBeUndefined();
    expect(canStart(failed)).toBe(true);
  });

  it('ignores a step recorded twice and a result of another run', () => {
    expect(ok({ type: 'RecordStepResult', data: { provisioningId: P1, step: 'connect-tenant', ok: true } }, added, requested, succeeded('connect-tenant'))).toEqual([]);
    expect(ok({ type: 'RecordStepResult', data: { provisioningId: P2, step: 'connect-tenant', ok: true } }, added, requested)).toEqual([]);
  });

  it('cancels what is in progress, and only that', () => {
    expect(ok({ type: 'CancelProvisioning', data: { errorCode: 'PROVISIONING.CUSTOMER_MANAGED' } }, added, requested)).toEqual([
      { type: 'ServiceProvisioningFailed', data: { provisioningId: P1, serviceCode: 'policies-m365', errorCode: 'PROVISIONING.CUSTOMER_MANAGED', retryable: false } },
    ]);
    expect(ok({ type: 'CancelProvisioning', data: { errorCode: 'PROVISIONING.CUSTOMER_MANAGED' } }, added)).toEqual([]);
    const cancelled = fold(added, requested, {
      type: 'ServiceProvisioningFailed',
      data: { provisioningId: P1, serviceCode: 'policies-m365', errorCode: 'PROVISIONING.CUSTOMER_MANAGED', retryable: false },
    });
    expect(ok({ type: 'CancelProvisioning', data: { errorCode: 'PROVISIONING.CUSTOMER_MANAGED' } }, ...[added, requested])).toHaveLength(1);
    expect(cancelled.provisioning.state).toBe('failed');
    // A step that finishes after the cancellation changes nothing.
    expect(decideProvisioning({ type: 'RecordStepResult', data: { provisioningId: P1, step: 'connect-tenant', ok: true } }, cancelled)).toEqual({ ok: true, value: [] });
  });
});
