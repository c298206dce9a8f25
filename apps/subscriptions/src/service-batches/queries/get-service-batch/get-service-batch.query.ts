import { Inject, Injectable } from '@nestjs/common';
import { CustomerDirectory } from '@platform/customer-directory';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE } from '@platform/service-kit';
import { batchOf, type ServiceBatch } from '../../domain/service-batch.decider';
import { loadBatch } from '../../infrastructure/batch-streams';

export interface LoadedServiceBatch {
  batch: ServiceBatch;
  /** Stream version: grows with every recorded result (the SSE stream's event id). */
  version: number;
  /**
   * Organisation names of the batch's customers that are the partner's (and not disconnected),
   * from the service's customer directory; others (unknown, another partner's) have none.
   */
  names: ReadonlyMap<string, string>;
}

/** One batch of the caller's partner, from its stream (always current: a batch has at most ~60 events). */
@Injectable()
export class GetServiceBatchQuery {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: CustomerDirectory,
  ) {}

  async execute(partnerId: string, batchId: string): Promise<LoadedServiceBatch> {
    const loaded = await loadBatch(this.store, batchId);
    const batch = batchOf(loaded.state, partnerId);
    if (!batch.ok) throw batch.error;
    const customers = await this.directory.listForPartner(partnerId, { customerIds: batch.value.customerIds });
    const names = new Map<string, string>();
    for (const c of customers) if (c.organizationName) names.set(c.customerId, c.organizationName);
    return { batch: batch.value, version: loaded.version, names };
  }
}
