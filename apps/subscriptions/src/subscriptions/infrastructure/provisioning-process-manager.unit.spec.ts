import { FakeClock } from '@platform/core';
import { InMemoryEventStore, type EventMetadata } from '@platform/event-store';
import { ProvisioningProcessManager, type CustomerFacts } from './provisioning-process-manager';
import type { ProvisioningStepContext, ProvisioningStepResult, ProvisioningStepRunner } from './provisioning-step-runner';
import { SubscriptionCommandRunner } from './subscription-command-runner';

const PARTNER = '01936a2e-0000-7000-8000-000000000001';
const CUSTOMER = '01936a2e-0000-7000-8000-0000000000c1';
const SUB = '01936a2e-0000-7000-8000-0000000000a1';
const RUN = '01936a2e-0000-7000-8000-0000000000b1';

/** A product environment whose answers a test scripts: failing steps, or a crash (throw) at a step. */
class ScriptedSteps implements ProvisioningStepRunner {
  readonly calls: string[] = [];
  constructor(
    private readonly failing: Record<string, ProvisioningStepResult> = {},
    public crashAt?: string,
  ) {}
  run(step: string, _context: ProvisioningStepContext): Promise<ProvisioningStepResult> {
    this.calls.push(step);
    if (step === this.crashAt) return Promise.reject(new Error('process died'));
    return Promise.resolve(this.failing[step] ?? { ok: true });
  }
}

const activeCustomer: CustomerFacts = { get: () => Promise.resolve({ status: 'active', managementMode: 'partner' }) };

async function setUp(serviceCode = 'policies-m365') {
  const clock = new FakeClock(new Date('2026-03-01T10:00:00.000Z'));
  const store = new InMemoryEventStore({ now: () => clock.now() });
  const runner = new SubscriptionCommandRunner(store, clock);
  const metadata: EventMetadata = {
    partnerId: PARTNER,
    customerId: CUSTOMER,
    occurredAt: clock.now().toISOString(),
    correlationId: RUN,
    actor: { type: 'user', id: 'u1' },
  };
  await runner.run(
    SUB,
    { type: 'AddSubscription', data: { subscriptionId: SUB, serviceCode, plan: 'paid', quantity: 10, termEndsAt: '2027-01-01T00:00:00Z', pooled: false } },
    metadata,
  );
  await runner.runProvisioning(SUB, { type: 'RequestProvisioning', data: { provisioningId: RUN } }, metadata);
  const types = () => store.events.map((e) => e.type);
  const manager = (steps: ProvisioningStepRunner, customers: CustomerFacts = activeCustomer) =>
    new ProvisioningProcessManager(runner, steps, customers, clock);
  return { store, runner, types, manager };
}

describe('provisioning process manager (F12)', () => {
  it("runs the catalogue's steps in order to started", async () => {
    const { types, manager, runner } = await setUp();
    const steps = new ScriptedSteps();
    await manager(steps).advance(SUB);
    expect(steps.calls).toEqual(['connect-tenant', 'enable-default-policies', 'run-first-scan']);
    expect(types()).toEqual([
      'ServicesAdded',
      'ServiceProvisioningRequested',
      'ProvisioningStepSucceeded',
      'ProvisioningStepSucceeded',
      'ProvisioningStepSucceeded',
      'ServicesStarted',
    ]);
    expect((await runner.load(SUB)).state.provisioning.state).toBe('started');
  });

  it('fails the service when an injected required step fails, without running the rest', async () => {
    const { types, manager, runner, store } = await setUp();
    const steps = new ScriptedSteps({ 'connect-tenant': { ok: false, errorCode: 'PROVISIONING.CONSENT_MISSING', retryable: true } });
    await manager(steps).advance(SUB);
    expect(steps.calls).toEqual(['connect-tenant']);
    expect(types().slice(2)).toEqual(['ProvisioningStepFailed', 'ServiceProvisioningFailed']);
    expect(store.events[3].data).toEqual({ provisioningId: RUN, serviceCode: 'policies-m365', errorCode: 'PROVISIONING.CONSENT_MISSING', retryable: true });
    expect((await runner.load(SUB)).state.provisioning).toMatchObject({ state: 'failed', errorCode: 'PROVISIONING.CONSENT_MISSING' });
  });

  it('ends partially completed when an injected optional step fails', async () => {
    const { manager, runner } = await setUp();
    await manager(new ScriptedSteps({ 'run-first-scan': { ok: false, errorCode: 'PROVISIONING.SCAN_FAILED', retryable: true } })).advance(SUB);
    expect((await runner.load(SUB)).state.provisioning.state).toBe('partially-completed');
  });

  it('resumes after a crash where the stream says it is: finished steps are not run again', async () => {
    const { types, manager } = await setUp();
    const crashing = new ScriptedSteps({}, 'enable-default-policies');
    await expect(manager(crashing).advance(SUB)).rejects.toThrow('process died');
    expect(types().slice(2)).toEqual(['ProvisioningStepSucceeded']);

    // A new instance (after the restart) picks the run up from its events.
    const resumed = new ScriptedSteps();
    await manager(resumed).advance(SUB);
    expect(resumed.calls).toEqual(['enable-default-policies', 'run-first-scan']);
    expect(types().slice(2)).toEqual(['ProvisioningStepSucceeded', 'ProvisioningStepSucceeded', 'ProvisioningStepSucceeded', 'ServicesStarted']);

    // Delivered again (the projection's redelivery): nothing more happens.
    const again = new ScriptedSteps();
    await manager(again).advance(SUB);
    expect(again.calls).toEqual([]);
    expect(types()).toHaveLength(6);
  });

  it('stops instead of running a step when the customer took its tenant back', async () => {
    const { types, manager, runner } = await setUp();
    const steps = new ScriptedSteps();
    await manager(steps, { get: () => Promise.resolve({ status: 'active', managementMode: 'customer' }) }).advance(SUB);
    expect(steps.calls).toEqual([]);
    expect(types().slice(2)).toEqual(['ServiceProvisioningFailed']);
    expect((await runner.load(SUB)).state.provisioning).toMatchObject({ state: 'failed', errorCode: 'PROVISIONING.CUSTOMER_MANAGED' });
  });

  it('handles a batch of events once per stream', async () => {
    const { store, manager } = await setUp();
    const steps = new ScriptedSteps();
    await manager(steps).beforeCheckpoint(store.events.slice(1));
    expect(steps.calls).toHaveLength(3);
  });
});
