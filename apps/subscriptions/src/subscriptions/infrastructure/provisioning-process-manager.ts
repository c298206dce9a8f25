import { Logger } from '@nestjs/common';
import { deterministicUuid, type Clock } from '@platform/core';
import type { EventMetadata, Projection, RecordedEvent } from '@platform/event-store';
import { nextStep } from '../domain/provisioning.decider';
import { SUBSCRIPTION_STREAM_CATEGORY } from '../domain/subscription.events';
import type { ProvisioningStepRunner } from './provisioning-step-runner';
import type { SubscriptionCommandRunner } from './subscription-command-runner';

export const PROVISIONING_PROCESS_MANAGER = 'subscriptions.provisioning';

/** What the process manager needs to know of a customer (the customer directory answers it). */
export interface CustomerFacts {
  get(customerId: string): Promise<{ status: string; managementMode: string } | undefined>;
}

export const PROVISIONING_ACTOR = { type: 'system' as const, id: 'subscriptions.provisioning' };

/** Why a customer's provisioning stops, or undefined while it may go on. */
export function stopReason(customer: { status: string; managementMode: string } | undefined): string | undefined {
  if (!customer) return undefined;
  if (customer.status === 'disconnected' || customer.status === 'revoked') return 'PROVISIONING.CUSTOMER_DISCONNECTED';
  if (customer.managementMode === 'customer') return 'PROVISIONING.CUSTOMER_MANAGED';
  return undefined;
}

/**
 * The provisioning process (F12), driven by the subscription streams' events: when a service's
 * provisioning is requested or one of its steps is recorded, the next step runs and its result
 * is appended (event id derived from the run and the step, expected version). Its checkpoint
 * moves only after that, so after a crash the runs that were in progress resume where their
 * streams say they are, and a step recorded twice is recorded once.
 */
export class ProvisioningProcessManager implements Projection {
  readonly name = PROVISIONING_PROCESS_MANAGER;
  readonly filter = {
    categories: [SUBSCRIPTION_STREAM_CATEGORY],
    eventTypes: ['ServiceProvisioningRequested', 'ProvisioningStepSucceeded', 'ProvisioningStepFailed'],
  };
  readonly batchSize = 50;
  private readonly logger = new Logger('subscriptions.provisioning');

  constructor(
    private readonly runner: SubscriptionCommandRunner,
    private readonly steps: ProvisioningStepRunner,
    private readonly customers: CustomerFacts,
    private readonly clock: Clock,
  ) {}

  /** Nothing is written in the checkpoint's transaction: the steps append through the event store. */
  async handle(): Promise<void> {}

  // Outside the checkpoint's transaction: the appends use their own connections (on embedded
  // PGlite, waiting for one while holding a transaction would deadlock).
  async beforeCheckpoint(events: RecordedEvent[]): Promise<void> {
    const streams = [...new Set(events.map((e) => e.streamId.slice(e.streamId.indexOf('-') + 1)))];
    for (const subscriptionId of streams) await this.advance(subscriptionId, events.find((e) => e.streamId.endsWith(subscriptionId)));
  }

  /** Runs the subscription's provisioning to its end (or until it is cancelled). */
  async advance(subscriptionId: string, cause?: RecordedEvent): Promise<void> {
    const attempts = new Map<string, number>();
    for (;;) {
      const loaded = await this.runner.load(subscriptionId);
      const { state } = loaded;
      const step = nextStep(state);
      if (!step || !state.partnerId || !state.customerId || !state.subscription) return;
      const provisioningId = state.provisioning.provisioningId as string;
      const metadata: EventMetadata = {
        partnerId: state.partnerId,
        customerId: state.customerId,
        occurredAt: this.clock.now().toISOString(),
        correlationId: (cause?.metadata.correlationId as string | undefined) ?? provisioningId,
        ...(cause ? { causationId: cause.id } : {}),
        actor: PROVISIONING_ACTOR,
      };
      const refused = stopReason(await this.customers.get(state.customerId));
      if (refused) {
        await this.tryAppend(() =>
          this.runner.runProvisioning(subscriptionId, { type: 'CancelProvisioning', data: { errorCode: refused } }, metadata, {
            eventIds: (i) => deterministicUuid('provisioning-cancel', provisioningId, String(i)),
          }),
        );
        return;
      }
      const attempt = (attempts.get(step.code) ?? 0) + 1;
      attempts.set(step.code, attempt);
      if (attempt > 3) return; // appends keep colliding: the next event on the stream resumes it
      const result = await this.steps.run(step.code, {
        partnerId: state.partnerId,
        customerId: state.customerId,
        subscriptionId,
        serviceCode: state.subscription.serviceCode,
        provisioningId,
        attempt,
      });
      await this.tryAppend(() =>
        this.runner.runProvisioning(subscriptionId, { type: 'RecordStepResult', data: { provisioningId, step: step.code, ...result } }, metadata, {
          eventIds: (i) => deterministicUuid('provisioning-step', provisioningId, step.code, String(i)),
        }),
      );
    }
  }

  /** A concurrent writer (a cancellation, another instance) moved the stream: the loop decides again. */
  private async tryAppend(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (e) {
      if (e instanceof Error && 'code' in e && (e as { code: string }).code === 'SUBSCRIPTION.CONCURRENT_UPDATE') {
        this.logger.debug('provisioning step raced another writer; deciding again');
        return;
      }
      throw e;
    }
  }
}
