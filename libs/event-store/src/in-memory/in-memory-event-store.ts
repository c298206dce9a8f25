import { ConcurrencyError, IdempotencyConflictError } from '../port/errors';
import { streamCategory, type NewEvent, type RecordedEvent } from '../port/event';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
} from '../port/event-store.port';

/** Event ids are UUIDs (canonical hex form; the column is `uuid`, so every adapter checks the same). */
const isEventId = (id: unknown): boolean =>
  typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export interface InMemoryEventStoreOptions {
  /** Source of `recordedAt` (default: the system clock). */
  now?: () => Date;
}

/** JSON round trip, as the database does: callers never share objects with the store. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** JSON with sorted keys, so content comparison ignores key order (like jsonb equality). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

interface Stored {
  event: RecordedEvent;
  content: string;
}

/**
 * The event store contract in memory, for unit tests of deciders and handlers. Every append is
 * atomic (it runs without yielding), positions are 1, 2, 3, … and every event is readable at once.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private readonly byId = new Map<string, Stored>();
  private readonly waiters = new Set<{ after: bigint; wake(): void }>();
  private readonly now: () => Date;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** Every recorded event in log order (a copy), for assertions in tests. */
  get events(): RecordedEvent[] {
    return this.log.map((s) => this.clone(s.event));
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const expected = options.expectedVersion;
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
      throw new RangeError(`expected version must be 'any', 'no_stream' or a non-negative integer, got ${expected}`);
    }
    const seen = new Set<string>();
    for (const e of events) {
      if (!isEventId(e.id)) throw new TypeError(`event ids must be UUIDs, got ${JSON.stringify(e.id)}`);
      const id = e.id.toLowerCase();
      if (seen.has(id)) throw new IdempotencyConflictError(e.id, 'twice in the same append');
      seen.add(id);
    }
    const stream = this.streams.get(streamId) ?? [];
    const retry = this.resolveRetry(streamId, events);
    if (retry) return retry;

    const wanted = expected === 'no_stream' ? 0 : expected;
    if (wanted !== 'any' && wanted !== stream.length) {
      throw new ConcurrencyError(streamId, String(expected), stream.length);
    }
    if (events.length === 0) {
      return { nextExpectedVersion: stream.length, lastGlobalPosition: stream.at(-1)?.event.globalPosition ?? 0n };
    }
    const recordedAt = this.now();
    for (const e of events) {
      const stored: Stored = {
        event: {
          id: e.id,
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: copy(e.data),
          metadata: copy(e.metadata),
          streamId,
          streamVersion: stream.length + 1,
          globalPosition: BigInt(this.log.length + 1),
          recordedAt: new Date(recordedAt),
        },
        content: canonical([e.type, e.data]),
      };
      stream.push(stored);
      this.log.push(stored);
      this.byId.set(e.id.toLowerCase(), stored);
    }
    this.streams.set(streamId, stream);
    const last = BigInt(this.log.length);
    for (const w of this.waiters) if (last > w.after) w.wake();
    return { nextExpectedVersion: stream.length, lastGlobalPosition: last };
  }

  /** Same rules as the database adapters: a full, in-order, same-content retry answers like the first. */
  private resolveRetry(streamId: string, events: NewEvent[]): AppendResult | undefined {
    const stored = events.map((e) => this.byId.get(e.id.toLowerCase()));
    if (stored.every((s) => !s)) return undefined;
    const first = stored[0];
    events.forEach((e, i) => {
      const s = stored[i];
      if (!s) throw new IdempotencyConflictError(e.id, 'only partly: some events of this append are stored, others not');
      if (s.event.streamId !== streamId) throw new IdempotencyConflictError(e.id, `to stream ${s.event.streamId}`);
      if (!first || s.event.streamVersion !== first.event.streamVersion + i) {
        throw new IdempotencyConflictError(e.id, 'in a different order or with other events in between');
      }
      if (s.content !== canonical([e.type, e.data])) throw new IdempotencyConflictError(e.id, 'with a different type or data');
    });
    const last = stored[stored.length - 1]!.event;
    return { nextExpectedVersion: last.streamVersion, lastGlobalPosition: last.globalPosition };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    const stream = this.streams.get(streamId) ?? [];
    const slice = stream.slice(from - 1, options.maxCount === undefined ? undefined : from - 1 + options.maxCount);
    return slice.map((s) => this.clone(s.event));
  }

  async streamVersion(streamId: string): Promise<number> {
    return this.streams.get(streamId)?.length ?? 0;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? 0n;
    const maxCount = options.maxCount ?? 1000;
    if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be ≥ 1, got ${maxCount}`);
    const categories = options.filter?.categories?.length ? new Set(options.filter.categories) : undefined;
    const types = options.filter?.eventTypes?.length ? new Set(options.filter.eventTypes) : undefined;
    const events: RecordedEvent[] = [];
    const start = after < 0n ? 0 : after >= BigInt(this.log.length) ? this.log.length : Number(after);
    for (let i = start; i < this.log.length; i++) {
      const e = this.log[i].event;
      if (categories && !categories.has(streamCategory(e.streamId))) continue;
      if (types && !types.has(e.type)) continue;
      if (events.length === maxCount) return { events, position: events[events.length - 1].globalPosition, isEnd: false };
      events.push(this.clone(e));
    }
    const head = BigInt(this.log.length);
    return { events, position: head > after ? head : after, isEnd: true };
  }

  async waitForAppend(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (BigInt(this.log.length) > after || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(waiter);
        resolve();
      };
      const waiter = { after, wake: done };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(waiter);
    });
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.log.length);
  }

  async close(): Promise<void> {
    for (const w of [...this.waiters]) w.wake();
  }

  private clone(e: RecordedEvent): RecordedEvent {
    return { ...e, data: copy(e.data), metadata: copy(e.metadata), recordedAt: new Date(e.recordedAt) };
  }
}
