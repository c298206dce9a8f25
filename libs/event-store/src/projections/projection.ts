import type { PoolClient } from 'pg';
import type { RecordedEvent } from '../port/event';
import type { LogFilter } from '../port/event-store.port';

/**
 * A read model (or any effect) fed from the log. The runner calls `handle` inside a
 * transaction and writes the projection's checkpoint in that same transaction, so each
 * event's effect lands exactly once across crashes. Effects outside the database (publishing
 * to Kafka) happen at least once; their consumers deduplicate by event id.
 */
export interface Projection {
  /** Unique, stable name; the checkpoint, lease and parked events are keyed by it. */
  name: string;
  filter?: LogFilter;
  /** Events per transaction (default 500). */
  batchSize?: number;
  handle(events: RecordedEvent[], tx: PoolClient): Promise<void>;
  /**
   * Effects that cannot join the checkpoint's transaction (appends to other streams through the
   * event store, which uses its own connections): run before that transaction opens, so they
   * may run again after a crash. They must be idempotent (deterministic event ids do it).
   */
  beforeCheckpoint?(events: RecordedEvent[]): Promise<void>;
  /** Once the batch's transaction has committed (a hint for others, e.g. waking readers; errors are only logged). */
  afterCommit?(events: RecordedEvent[]): void;
  /** Called before a rebuild from position 0: delete what the projection wrote. */
  reset?(tx: PoolClient): Promise<void>;
}
