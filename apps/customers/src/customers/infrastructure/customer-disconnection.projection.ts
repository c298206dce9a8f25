import type { PoolClient } from 'pg';
import type { Projection, RecordedEvent } from '@platform/event-store';
import type { CustomerLogoStore } from './customer-logo.store';

/** What disconnecting (F6) erases beyond the read models: the logo and the customer's data key. */
export interface CustomerDataEraser {
  shred(customerId: string, tx?: PoolClient): Promise<void>;
}

/**
 * The guarantee behind F6: for every CustomerDisconnected in the log the customer's logo rows
 * are deleted and its data key shredded, exactly once per event and retried until done, even
 * when the request that disconnected died right after appending. (The disconnect handler does
 * the same at once so its answer already holds; both steps are idempotent.)
 */
export function customerDisconnectionProjection(logos: CustomerLogoStore, keys: CustomerDataEraser): Projection {
  return {
    name: 'customers.disconnection-erasure',
    filter: { categories: ['customer'], eventTypes: ['CustomerDisconnected'] },
    async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
      for (const e of events) {
        const customerId = e.metadata.customerId;
        if (!customerId) continue;
        await logos.deleteAll(customerId, tx);
        await keys.shred(customerId, tx);
      }
    },
  };
}
