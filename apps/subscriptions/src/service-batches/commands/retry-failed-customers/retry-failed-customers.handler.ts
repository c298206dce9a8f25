import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor } from '@platform/service-kit';
import { decideServiceBatch } from '../../domain/service-batch.decider';
import { ServiceBatchErrorCode } from '../../domain/service-batch.errors';
import { serviceBatchStreamId } from '../../domain/service-batch.events';
import { expectedVersion } from '@platform/event-store';
import { isConcurrencyError, loadBatch, toNewEvents } from '../../infrastructure/batch-streams';
import { ServiceBatchRunner } from '../../infrastructure/service-batch-runner';
import { SERVICE_BATCH_CLOCK } from '../../infrastructure/service-batches.tokens';
import type { RetryFailedCustomersCommand } from './retry-failed-customers.command';

export interface RetryFailedCustomersOutcome {
  batchId: string;
  attempt: number;
  customerIds: string[];
  position: bigint;
}

/** Starts a new attempt of a completed batch with its failed customers, and hands it to the runner. */
@Injectable()
export class RetryFailedCustomersHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_BATCH_CLOCK) private readonly clock: Clock,
    private readonly runner: ServiceBatchRunner,
  ) {}

  async execute(command: RetryFailedCustomersCommand): Promise<RetryFailedCustomersOutcome> {
    const loaded = await loadBatch(this.store, command.batchId);
    const decision = decideServiceBatch({ type: 'RetryFailedCustomers', data: { partnerId: command.actor.partnerId } }, loaded.state);
    if (!decision.ok) throw decision.error;
    const retry = decision.value[0];
    if (retry?.type !== 'ServiceBatchRetryStarted') throw new Error('retry decided no ServiceBatchRetryStarted');
    const metadata = eventMetadataFor(command.actor, this.clock, { batchId: command.batchId });
    try {
      const appended = await this.store.append(
        serviceBatchStreamId(command.batchId),
        toNewEvents(decision.value, () => metadata, () => uuidv7()),
        { expectedVersion: expectedVersion(loaded.version) },
      );
      this.runner.kick(command.batchId);
      return { batchId: command.batchId, attempt: retry.data.attempt, customerIds: retry.data.customerIds, position: appended.lastGlobalPosition };
    } catch (e) {
      // Only a simultaneous retry of the same batch can move a completed batch's stream.
      if (isConcurrencyError(e)) {
        throw new ConflictError(ServiceBatchErrorCode.CONCURRENT_UPDATE, 'The batch changed at the same time: read it again.');
      }
      throw e;
    }
  }
}
