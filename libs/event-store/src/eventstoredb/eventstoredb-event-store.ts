import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type AppendExpectedRevision,
  type Filter,
  type JSONRecordedEvent,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { ConcurrencyError, IdempotencyConflictError } from '../port/errors';
import type { EventMetadata, NewEvent, RecordedEvent } from '../port/event';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
} from '../port/event-store.port';

/** Where the event's schema version travels: EventStoreDB has no field for it. */
const SCHEMA_VERSION_KEY = 'eventStore.schemaVersion';
/** A filtered read that hears nothing for this long stops (servers before 23.10 never say "caught up"). */
const IDLE_END_MS = 3_000;
const DEFAULT_READ_ALL_PAGE = 1000;

type StoredMetadata = EventMetadata & { [SCHEMA_VERSION_KEY]?: number };

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Event store on EventStoreDB (gRPC client 6).
 *
 * - Versions: our version N (N events) is ESDB revision N - 1; `no_stream` and 0 map to NO_STREAM.
 * - Positions are commit positions (bigint). This assumes each event of an append has its own
 *   commit position, which holds for appends through gRPC on EventStoreDB 20+ (no explicit
 *   transactions); readers continue strictly after a commit position.
 * - Idempotency is EventStoreDB's: it deduplicates by event id *within a stream* and does not
 *   compare content, so reusing an id in another stream, or with other data, is not detected
 *   (see the contract options in the spec). A retry whose expected version is stale is
 *   recognised by reading the events at the version it expected.
 * - readAll runs a catch-up subscription with a server-side filter (stream name prefix
 *   `<category>-`, or exact event types; with both, types are checked here) and stops when the
 *   server says it caught up or the page is full.
 */
export class EventStoreDBEventStore implements EventStore {
  constructor(private readonly client: EventStoreDBClient) {}

  static fromConnectionString(connectionString: string): EventStoreDBEventStore {
    return new EventStoreDBEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const expected = options.expectedVersion;
    const notUuid = events.find((e) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(e.id));
    if (notUuid) throw new TypeError(`event ids must be UUIDs, got ${JSON.stringify(notUuid.id)}`);
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(e.id.toLowerCase())) throw new IdempotencyConflictError(e.id, 'twice in the same append');
      seen.add(e.id.toLowerCase());
    }
    if (events.length === 0) return this.emptyAppend(streamId, expected);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({
            id: e.id,
            type: e.type,
            data: e.data,
            metadata: { ...e.metadata, [SCHEMA_VERSION_KEY]: e.schemaVersion },
          }),
        ),
        { expectedRevision: toExpectedRevision(expected) },
      );
      const version = Number(result.nextExpectedRevision) + 1;
      // A single new event's position is the write's. A retry the server recognised comes back
      // without one, and for several events the write's position is not documented to be the
      // last event's: read that event's own.
      const position =
        events.length === 1 && result.position && result.position.commit >= 0n
          ? result.position.commit
          : await this.positionAt(streamId, result.nextExpectedRevision);
      return { nextExpectedVersion: version, lastGlobalPosition: position };
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) throw e;
      const retry = await this.resolveRetry(streamId, events, expected);
      if (retry) return retry;
      if (expected === 'any') {
        // `any` cannot be stale: the server refused a partly matching retry.
        throw new IdempotencyConflictError(events[0].id, 'only partly or in another order');
      }
      const actual = e.actualVersion === NO_STREAM ? 0 : Number(e.actualVersion) + 1;
      throw new ConcurrencyError(streamId, String(expected), actual);
    }
  }

  /** A stale retry: the events are where the writer expected to put them. */
  private async resolveRetry(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult | undefined> {
    if (expected === 'any') return undefined;
    const from = expected === 'no_stream' ? 0 : expected;
    const stored = await this.readStream(streamId, { fromVersion: from + 1, maxCount: events.length });
    const matches = stored.filter((s, i) => s.id.toLowerCase() === events[i]?.id.toLowerCase()).length;
    if (matches === 0) {
      const ids = new Set(events.map((e) => e.id.toLowerCase()));
      const elsewhere = stored.find((s) => ids.has(s.id.toLowerCase()));
      if (elsewhere) throw new IdempotencyConflictError(elsewhere.id, 'in a different order');
      return undefined;
    }
    if (matches < events.length) {
      throw new IdempotencyConflictError(events[matches]?.id ?? events[0].id, 'only partly or in another order');
    }
    const last = stored[stored.length - 1];
    return { nextExpectedVersion: last.streamVersion, lastGlobalPosition: last.globalPosition };
  }

  private async emptyAppend(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const [last] = await this.readLast(streamId);
    const version = last ? last.streamVersion : 0;
    const wanted = expected === 'no_stream' ? 0 : expected;
    if (wanted !== 'any' && wanted !== version) throw new ConcurrencyError(streamId, String(expected), version);
    return { nextExpectedVersion: version, lastGlobalPosition: last?.globalPosition ?? 0n };
  }

  private async positionAt(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromVersion: Number(revision) + 1, maxCount: 1 });
    return event?.globalPosition ?? 0n;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    if (options.maxCount === 0) return [];
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: BigInt(from - 1),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        if (resolved.event) out.push(toRecorded(resolved.event as JSONRecordedEvent, resolved.commitPosition));
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  }

  private async readLast(streamId: string): Promise<RecordedEvent[]> {
    try {
      const out: RecordedEvent[] = [];
      for await (const resolved of this.client.readStream(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        if (resolved.event) out.push(toRecorded(resolved.event as JSONRecordedEvent, resolved.commitPosition));
      }
      return out;
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.readLast(streamId);
    return last ? last.streamVersion : 0;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? 0n;
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_PAGE;
    if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be ≥ 1, got ${maxCount}`);
    const categories = options.filter?.categories?.length ? options.filter.categories : undefined;
    const types = options.filter?.eventTypes?.length ? new Set(options.filter.eventTypes) : undefined;
    // Everything up to the current end is scanned before the server reports "caught up".
    const head = await this.headPosition();

    let scanned = after;
    const events: RecordedEvent[] = [];
    let caughtUp = false;
    const filter: Filter = categories
      ? streamNameFilter({ prefixes: categories.map((c) => `${c}-`), checkpointReached: (_s, p) => void (scanned = max(scanned, p.commit)) })
      : types
        ? eventTypeFilter({
            regex: `^(?:${[...types].map(escapeRegex).join('|')})$`,
            checkpointReached: (_s, p) => void (scanned = max(scanned, p.commit)),
          })
        : excludeSystemEvents({ checkpointReached: (_s, p) => void (scanned = max(scanned, p.commit)) });
    const fromPosition: ReadPosition = after > 0n ? { commit: after, prepare: after } : START;
    const subscription = this.client.subscribeToAll({ fromPosition, filter });
    try {
      await new Promise<void>((resolve, reject) => {
        let done = false;
        let idle: NodeJS.Timeout | undefined;
        const finish = (err?: unknown) => {
          if (done) return;
          done = true;
          clearTimeout(idle);
          if (err) reject(err);
          else resolve();
        };
        const touch = () => {
          clearTimeout(idle);
          idle = setTimeout(() => finish(), IDLE_END_MS);
        };
        touch();
        subscription.on('data', (resolved) => {
          if (done) return;
          touch();
          const e = resolved.event as AllStreamRecordedEvent | undefined;
          if (!e) return;
          const position = e.position.commit;
          if (position <= after) return;
          scanned = max(scanned, position);
          if (types && !types.has(e.type)) return;
          events.push(toRecorded(e as JSONRecordedEvent, position));
          if (events.length > maxCount) finish();
        });
        subscription.on('caughtUp', () => {
          // Events that arrived before this message may still sit in the stream's buffer.
          const drained = () => {
            if (subscription.readableLength > 0) return setImmediate(drained);
            caughtUp = true;
            finish();
          };
          setImmediate(drained);
        });
        subscription.on('error', (err) => finish(err));
        subscription.on('end', () => finish());
      });
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
    if (events.length > maxCount) {
      const page = events.slice(0, maxCount);
      return { events: page, position: page[page.length - 1].globalPosition, isEnd: false };
    }
    const position = caughtUp ? max(scanned, head) : scanned;
    return { events, position: max(position, after), isEnd: true };
  }

  async headPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) {
      const commit = resolved.event?.position.commit ?? resolved.commitPosition;
      if (commit !== undefined) return commit;
    }
    return 0n;
  }

  /** A short-lived subscription from `after` that ends at the first non-system event. */
  async waitForAppend(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const fromPosition: ReadPosition = after > 0n ? ({ commit: after, prepare: after } satisfies Position) : START;
    const subscription = this.client.subscribeToAll({ fromPosition, filter: excludeSystemEvents() });
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        signal?.addEventListener('abort', done, { once: true });
        subscription.on('data', (resolved) => {
          const commit = resolved.event?.position.commit ?? resolved.commitPosition;
          if (commit !== undefined && commit > after) done();
        });
        subscription.on('error', done);
        subscription.on('end', done);
      });
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expected version must be 'any', 'no_stream' or a non-negative integer, got ${expected}`);
  }
  return BigInt(expected - 1);
}

function toRecorded(e: JSONRecordedEvent, commitPosition: bigint | undefined): RecordedEvent {
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = (e.metadata ?? {}) as StoredMetadata;
  return {
    id: e.id,
    type: e.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: e.data as Record<string, unknown>,
    metadata: metadata as EventMetadata,
    streamId: e.streamId,
    streamVersion: Number(e.revision) + 1,
    globalPosition: e.position?.commit ?? commitPosition ?? 0n,
    recordedAt: e.created,
  };
}
