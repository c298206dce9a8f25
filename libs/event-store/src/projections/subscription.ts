import type { RecordedEvent } from '../port/event';
import type { LogFilter } from '../port/event-store.port';
import type { Projection } from './projection';

export interface SubscriptionOptions {
  /** Unique, stable name (the checkpoint, lease and parked events are keyed by it). */
  name: string;
  filter?: LogFilter;
  batchSize?: number;
  /** The effect for one event (send an email, publish to Kafka, call an API). */
  handle(event: RecordedEvent): Promise<void>;
}

/**
 * A durable catch-up subscription for effects outside the database, run by a
 * `ProjectionRunner` like any projection (checkpoint, single active runner, retries, parking).
 *
 * The effect is AT LEAST ONCE: the checkpoint commits after the effects, so a crash or a
 * failure later in the batch repeats the effects of the batch's earlier events. Make the
 * receiver deduplicate by `event.id` (idempotency key), or keep `batchSize` small to narrow
 * the repeats. Effects that write to this database belong in a plain projection (`handle`
 * with `tx`), which is exactly once.
 */
export function subscription(options: SubscriptionOptions): Projection {
  return {
    name: options.name,
    filter: options.filter,
    batchSize: options.batchSize,
    async handle(events) {
      for (const event of events) await options.handle(event);
    },
  };
}
