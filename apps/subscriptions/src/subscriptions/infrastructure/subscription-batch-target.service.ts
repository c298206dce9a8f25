import { CodedError, ValidationError, deterministicUuid, type Clock } from '@platform/core';
import type { CustomerDirectory } from '@platform/customer-directory';
import type { EventMetadata } from '@platform/event-store';
import { SubscriptionErrorCode } from '../domain/subscription.errors';
import type { CustomerServicesQueries } from '../queries/list-customer-services/customer-services.queries';
import type {
  SubscriptionBatchEditInput,
  SubscriptionBatchEditResult,
  SubscriptionBatchTarget,
} from '../subscription-batch-target';
import type { SubscriptionCommandRunner } from './subscription-command-runner';

const failed = (reason: string, subscriptionId?: string): SubscriptionBatchEditResult => ({
  outcome: 'failed',
  reason,
  ...(subscriptionId ? { subscriptionId } : {}),
});

/**
 * One customer's part of a batch edit (F13): edits that customer's pooled subscription of the
 * service. The edit's event id comes from (batch, customer) and the stream remembers the
 * batch ids it applied, so a retry after a crash answers 'succeeded' again and writes nothing.
 */
export class SubscriptionBatchTargetService implements SubscriptionBatchTarget {
  constructor(
    private readonly runner: SubscriptionCommandRunner,
    private readonly directory: CustomerDirectory,
    private readonly queries: CustomerServicesQueries,
    private readonly clock: Clock,
  ) {}

  async applyBatchEdit(input: SubscriptionBatchEditInput): Promise<SubscriptionBatchEditResult> {
    const { batchId, partnerId, customerId, serviceCode } = input;
    const customer = await this.directory.get(customerId);
    if (!customer || customer.partnerId !== partnerId || customer.status === 'disconnected') return failed('CUSTOMER.NOT_FOUND');
    if (customer.status !== 'active') return failed('CUSTOMER.NOT_ACTIVE');
    if (customer.managementMode === 'customer') return failed('CUSTOMER.CUSTOMER_MANAGED');

    const pooled = (await this.queries.services(customerId, { serviceCode })).filter((r) => r.state.subscription?.pooled);
    // A replay: the subscription already carries this batch's edit.
    for (const row of pooled) {
      const loaded = await this.runner.load(row.subscriptionId);
      if (loaded.state.appliedBatchIds.includes(batchId)) return { outcome: 'succeeded', subscriptionId: row.subscriptionId };
    }
    const live = pooled.filter((r) => r.state.status === 'active');
    if (live.length === 0) return failed(pooled.length > 0 ? 'SUBSCRIPTION.EXPIRED' : 'SUBSCRIPTION.NOT_FOUND');
    const subscriptionId = live[0].subscriptionId;

    const metadata: EventMetadata = {
      correlationId: batchId,
      actor: { type: 'system', id: 'subscriptions.batch-edit' },
      ...input.metadata,
      partnerId,
      customerId,
      occurredAt: this.clock.now().toISOString(),
      batchId,
    } as EventMetadata;
    const changes = {
      ...(input.changes.quantity !== undefined ? { quantity: input.changes.quantity } : {}),
      ...(input.changes.termEndsAt !== undefined ? { termEndsAt: input.changes.termEndsAt } : {}),
      ...(input.changes.autoRenew !== undefined ? { autoRenew: input.changes.autoRenew } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await this.runner.run(
          subscriptionId,
          { type: 'EditSubscription', data: { partnerId, customerId, changes, batchId } },
          metadata,
          { eventIds: (i) => deterministicUuid('subscription-batch-edit', batchId, customerId, String(i)) },
        );
        if (outcome.events.length > 0 || outcome.state.appliedBatchIds.includes(batchId)) return { outcome: 'succeeded', subscriptionId };
        return { outcome: 'skipped', reason: 'SUBSCRIPTION.NO_CHANGE', subscriptionId };
      } catch (e) {
        if (e instanceof ValidationError) return failed('SUBSCRIPTION.INVALID_CHANGE', subscriptionId);
        if (e instanceof CodedError && e.code === SubscriptionErrorCode.EXPIRED) return failed('SUBSCRIPTION.EXPIRED', subscriptionId);
        if (e instanceof CodedError && e.code === SubscriptionErrorCode.CONCURRENT_UPDATE && attempt < 3) continue;
        throw e;
      }
    }
  }
}
