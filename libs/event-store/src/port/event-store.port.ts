import type { NewEvent, RecordedEvent } from './event';

/**
 * `'any'`: append whatever the stream holds. `'no_stream'`: the stream must be empty.
 * A number: the stream must hold exactly that many events (its current version).
 */
export type ExpectedVersion = 'any' | 'no_stream' | number;

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  /** The stream's version after the append (= number of events in it). */
  nextExpectedVersion: number;
  /** Global position of the last event of this append. */
  lastGlobalPosition: bigint;
}

export interface ReadStreamOptions {
  /** First stream version to return (1-based, inclusive). Default 1. */
  fromVersion?: number;
  maxCount?: number;
}

/** Which events of the log a reader wants; the store filters on its side. */
export interface LogFilter {
  /** Stream categories (`customer`, `subscription`, …); empty or absent = all. */
  categories?: string[];
  /** Event types; empty or absent = all. */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: return events strictly after this position. Default 0n (from the start). */
  after?: bigint;
  maxCount?: number;
  filter?: LogFilter;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /**
   * Where the next read should continue from. With a filter this can be past the last
   * returned event (the store skipped events that did not match), so a reader checkpoints
   * this, not the last event's position.
   */
  position: bigint;
  /** True when the reader has caught up with everything that is safe to read now. */
  isEnd: boolean;
  /** The highest position safe to read when this page was read, if the store learns it in the same read. */
  head?: bigint;
}

/**
 * The event store port. Adapters: PostgreSQL (pg) and EventStoreDB.
 * Contract: libs/event-store/src/testing/event-store.contract.ts.
 */
export interface EventStore {
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Events of one stream in order; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The stream's current version (0 when it has no events). */
  streamVersion(streamId: string): Promise<number>;
  /**
   * The whole log forwards. Never returns an event whose position is after one that a
   * still-running transaction may yet commit (no skipped events), and never the same event
   * twice to a reader that continues from `position`.
   */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /**
   * Resolves when something may have been appended after `after`, or after `timeoutMs`. With a
   * `filter`, appends to other categories need not wake the caller (a hint: callers re-read).
   */
  waitForAppend(after: bigint, timeoutMs: number, signal?: AbortSignal, filter?: LogFilter): Promise<void>;
  /** Highest position currently safe to read (for lag metrics). */
  headPosition(): Promise<bigint>;
  /**
   * Appends inside the caller's transaction on the log's own PostgreSQL database, so the events
   * are stored if and only if the rest of that transaction commits (an inbox record, say).
   * Call `committed()` once it has committed: it wakes this process's readers. Absent on stores
   * whose log lives elsewhere (EventStoreDB).
   */
  appendInTransaction?(tx: TransactionClient, streamId: string, events: NewEvent[], options: AppendOptions): Promise<TransactionalAppendResult>;
  close(): Promise<void>;
}

/** A PostgreSQL connection inside a transaction (pg's `PoolClient`), as far as appends need it. */
export interface TransactionClient {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
}

export interface TransactionalAppendResult extends AppendResult {
  committed(): void;
}
