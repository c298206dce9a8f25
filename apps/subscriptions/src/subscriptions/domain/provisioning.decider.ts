import { ConflictError, err, ok, type Result } from '@platform/core';
import { catalogService } from './service-catalog';
import type { SubscriptionEvent } from './subscription.events';
import { SubscriptionErrorCode, subscriptionNotFound, type SubscriptionError } from './subscription.errors';
import type { ProvisioningStepState, SubscriptionState } from './subscription.decider';

/**
 * The provisioning of one subscription's service (F12), on the subscription's stream:
 * not started → in progress → started | partially completed | failed. Each step of the
 * catalogue's plan is run by the process manager and recorded here; a failed required step
 * fails the service, a failed optional one leaves it partially completed.
 */

export interface RequestProvisioning {
  type: 'RequestProvisioning';
  data: { provisioningId: string };
}

export interface RecordStepResult {
  type: 'RecordStepResult';
  data: { provisioningId: string; step: string } & ({ ok: true } | { ok: false; errorCode: string; retryable: boolean });
}

/** The customer took its tenant back or was disconnected: what is in progress stops. */
export interface CancelProvisioning {
  type: 'CancelProvisioning';
  data: { errorCode: string };
}

export type ProvisioningCommand = RequestProvisioning | RecordStepResult | CancelProvisioning;

export type ProvisioningDecision = Result<SubscriptionEvent[], SubscriptionError>;

/** A service can be started when its subscription is active and it is not started or running already. */
export function canStart(state: SubscriptionState): boolean {
  return state.status === 'active' && (state.provisioning.state === 'not-started' || state.provisioning.state === 'failed' || state.provisioning.state === 'partially-completed');
}

/** The next step to run, when the provisioning is in progress. */
export function nextStep(state: SubscriptionState): ProvisioningStepState | undefined {
  if (state.provisioning.state !== 'in-progress') return undefined;
  return state.provisioning.steps.find((s) => s.status === 'pending');
}

export function decideProvisioning(command: ProvisioningCommand, state: SubscriptionState): ProvisioningDecision {
  switch (command.type) {
    case 'RequestProvisioning':
      return request(command, state);
    case 'RecordStepResult':
      return record(command, state);
    case 'CancelProvisioning':
      return cancel(command, state);
  }
}

function request(command: RequestProvisioning, state: SubscriptionState): ProvisioningDecision {
  if (state.status === 'none' || !state.subscription) return err(subscriptionNotFound());
  const p = state.provisioning;
  // The same request again (a retry): nothing more.
  if (p.provisioningId === command.data.provisioningId) return ok([]);
  if (state.status === 'expired') {
    return err(new ConflictError(SubscriptionErrorCode.EXPIRED, 'The subscription has expired: it cannot be started.'));
  }
  if (p.state === 'in-progress') {
    return err(new ConflictError(SubscriptionErrorCode.PROVISIONING_IN_PROGRESS, 'The service is being started already.'));
  }
  if (p.state === 'started') return err(new ConflictError(SubscriptionErrorCode.ALREADY_STARTED, 'The service is started already.'));
  const service = catalogService(state.subscription.serviceCode);
  const steps = (service?.provisioning ?? []).map((s) => ({ code: s.code, required: s.required }));
  return ok([
    {
      type: 'ServiceProvisioningRequested',
      data: { provisioningId: command.data.provisioningId, serviceCode: state.subscription.serviceCode, steps },
    },
  ]);
}

function record(command: RecordStepResult, state: SubscriptionState): ProvisioningDecision {
  const c = command.data;
  const p = state.provisioning;
  // A late result of a run that was cancelled or replaced, or a step already recorded: ignored.
  if (p.state !== 'in-progress' || p.provisioningId !== c.provisioningId) return ok([]);
  const step = p.steps.find((s) => s.code === c.step);
  if (!step || step.status !== 'pending') return ok([]);
  const serviceCode = state.subscription?.serviceCode ?? '';
  const events: SubscriptionEvent[] = [];
  if (c.ok) {
    events.push({ type: 'ProvisioningStepSucceeded', data: { provisioningId: c.provisioningId, step: c.step } });
  } else {
    events.push({
      type: 'ProvisioningStepFailed',
      data: { provisioningId: c.provisioningId, step: c.step, errorCode: c.errorCode, retryable: c.retryable },
    });
    if (step.required) {
      events.push({
        type: 'ServiceProvisioningFailed',
        data: { provisioningId: c.provisioningId, serviceCode, errorCode: c.errorCode, retryable: c.retryable },
      });
      return ok(events);
    }
  }
  const remaining = p.steps.filter((s) => s.status === 'pending' && s.code !== c.step);
  if (remaining.length === 0) {
    const anyFailed = !c.ok || p.steps.some((s) => s.status === 'failed');
    events.push({
      type: 'ServicesStarted',
      data: { provisioningId: c.provisioningId, services: [{ serviceCode, state: anyFailed ? 'partially-completed' : 'started' }] },
    });
  }
  return ok(events);
}

function cancel(command: CancelProvisioning, state: SubscriptionState): ProvisioningDecision {
  const p = state.provisioning;
  if (p.state !== 'in-progress' || !p.provisioningId) return ok([]);
  return ok([
    {
      type: 'ServiceProvisioningFailed',
      data: {
        provisioningId: p.provisioningId,
        serviceCode: state.subscription?.serviceCode ?? '',
        errorCode: command.data.errorCode,
        retryable: false,
      },
    },
  ]);
}
