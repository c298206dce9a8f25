import { createHash } from 'node:crypto';

export interface ProvisioningStepContext {
  partnerId: string;
  customerId: string;
  subscriptionId: string;
  serviceCode: string;
  provisioningId: string;
  /** 1 on the first try of this step. */
  attempt: number;
}

export type ProvisioningStepResult = { ok: true } | { ok: false; errorCode: string; retryable: boolean };

/** Runs one provisioning step in the product environment (F12). Injected: tests pass failing ones. */
export interface ProvisioningStepRunner {
  run(step: string, context: ProvisioningStepContext): Promise<ProvisioningStepResult>;
}

export const PROVISIONING_STEP_RUNNER = Symbol('PROVISIONING_STEP_RUNNER');

/**
 * The product side as this repository simulates it: each step "calls" the product environment
 * and answers what it would. Every step succeeds except tenant discovery of a few customers,
 * chosen deterministically from the customer id (about one in eight), which finds nothing to
 * protect (`PROVISIONING.NOTHING_DISCOVERED`): the optional step fails, the service ends partially completed.
 */
export class SimulatedProductEnvironment implements ProvisioningStepRunner {
  run(step: string, context: ProvisioningStepContext): Promise<ProvisioningStepResult> {
    if (step.startsWith('discover-')) {
      const h = createHash('sha256').update(`${context.customerId}:${step}`).digest();
      if (h[0] % 8 === 0) return Promise.resolve({ ok: false, errorCode: 'PROVISIONING.NOTHING_DISCOVERED', retryable: true });
    }
    return Promise.resolve({ ok: true });
  }
}
