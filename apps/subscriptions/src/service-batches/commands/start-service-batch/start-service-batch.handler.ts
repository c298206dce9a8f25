import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor } from '@platform/service-kit';
import { catalogService } from '../../../subscriptions/domain/service-catalog';
import { decideServiceBatch, initialServiceBatchState } from '../../domain/service-batch.decider';
import { ServiceBatchValidationError } from '../../domain/service-batch.errors';
import { serviceBatchStreamId } from '../../domain/service-batch.events';
import { toNewEvents } from '../../infrastructure/batch-streams';
import { ServiceBatchRunner } from '../../infrastructure/service-batch-runner';
import { SERVICE_BATCH_CLOCK } from '../../infrastructure/service-batches.tokens';
import type { StartServiceBatchCommand } from './start-service-batch.command';

export interface StartServiceBatchOutcome {
  batchId: string;
  position: bigint;
}

/** Records the batch on a new `batch-<id>` stream and hands it to the runner; the edits happen after the answer. */
@Injectable()
export class StartServiceBatchHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_BATCH_CLOCK) private readonly clock: Clock,
    private readonly runner: ServiceBatchRunner,
  ) {}

  async execute(command: StartServiceBatchCommand): Promise<StartServiceBatchOutcome> {
    const decision = decideServiceBatch({ type: 'StartServiceBatch', data: command.batch }, initialServiceBatchState());
    if (!decision.ok) throw decision.error;
    // Only pooled subscriptions are batch edited: the service must be one that can be pooled.
    if (!catalogService(command.batch.serviceCode.trim())?.poolable) {
      throw new ServiceBatchValidationError([{ field: 'serviceCode', message: 'must be a poolable service of the catalogue' }]);
    }
    const batchId = uuidv7();
    const metadata = eventMetadataFor(command.actor, this.clock, { batchId });
    const appended = await this.store.append(serviceBatchStreamId(batchId), toNewEvents(decision.value, () => metadata, () => uuidv7()), {
      expectedVersion: 'no_stream',
    });
    this.runner.kick(batchId);
    return { batchId, position: appended.lastGlobalPosition };
  }
}
