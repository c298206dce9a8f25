import { randomUUID } from 'node:crypto';
import { Client, DatabaseError, type ClientBase, type Pool, type QueryResult, type QueryResultRow } from 'pg';
import { ConcurrencyError, IdempotencyConflictError } from '../port/errors';
import { streamCategory, type NewEvent, type RecordedEvent } from '../port/event';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  LogFilter,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  TransactionClient,
  TransactionalAppendResult,
} from '../port/event-store.port';
import { MAX_EVENTS_PER_APPEND, eventsParam, runAppend } from './append-sql';

/** Event ids are UUIDs (canonical hex form; the column is `uuid`, so every adapter checks the same). */
const isEventId = (id: unknown): boolean =>
  typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export interface PostgresEventStoreOptions {
  /** NOTIFY channel that wakes `waitForAppend` in other processes. Default `event_store_appended`. */
  notifyChannel?: string;
  /**
   * No other process appends to this log (embedded PGlite, which locks its data directory):
   * every append wakes waiters through this process, so waits neither poll nor first look
   * at the head when nothing was appended since what they read.
   */
  exclusive?: boolean;
  /** The database runs one transaction at a time (PGlite), which makes the safe horizon cheap to compute. */
  serialTransactions?: boolean;
}

/**
 * Columns of an event as read, in row-array mode: the two json documents come as one text (one
 * JSON.parse per event) and the timestamp as epoch milliseconds (pg's date parser is slow);
 * together about a third faster on catch-up reads than the default row objects.
 */
type EventRow = [
  globalPosition: string,
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  schemaVersion: number,
  dataAndMetadata: string,
  recordedMs: number,
];

const EVENT_COLUMNS = `global_position, event_id, stream_id, stream_version, type, schema_version,
  '[' || data::text || ',' || metadata::text || ']' AS data_and_metadata,
  date_part('epoch', recorded_at) * 1000 AS recorded_ms`;

function toRecorded(r: EventRow | unknown[], offset = 0): RecordedEvent {
  const [data, metadata] = JSON.parse(r[offset + 6] as string) as [Record<string, unknown>, RecordedEvent['metadata']];
  return {
    id: r[offset + 1] as string,
    type: r[offset + 4] as string,
    schemaVersion: r[offset + 5] as number,
    data,
    metadata,
    streamId: r[offset + 2] as string,
    streamVersion: r[offset + 3] as number,
    globalPosition: BigInt(r[offset] as string),
    recordedAt: new Date(r[offset + 7] as number),
  };
}

/**
 * The safe horizon. Positions are `(xid << 16) + ordinal`, so every transaction that can still
 * commit has an xid ≥ the oldest xid still running and thus positions ≥ that xid `<< 16`;
 * everything below is final (committed or rolled back). Readers only return that final prefix,
 * so a transaction that took its position early and commits late is never skipped, and nothing
 * is read twice. `event_store_horizon()` (migration 002) computes it from the statement's own
 * snapshot, ignoring transactions running in other databases of the cluster.
 *
 * Trade-off: any transaction holding an xid in this database (not only appends: also a
 * projection's batch transaction, a migration, an open psql session that wrote something) holds
 * every reader back until it ends: lag, never loss. Keep transactions short.
 */
const HORIZON = 'event_store_horizon()';
/**
 * The same where the database runs one transaction at a time (PGlite): no other transaction is
 * ever in flight beside a reader, so the horizon is its snapshot's xmax, without the search
 * through in-progress ids that costs PGlite about as much as the rest of a small read.
 */
const SERIAL_HORIZON = '((pg_snapshot_xmax(pg_current_snapshot())::text::bigint + event_store_xid_offset()) << 16)';

/**
 * One statement, so the page and the head come from the same snapshot (a head from a later
 * snapshot could pass events the page did not see). Shape matters for speed:
 * - the horizon is computed once (materialised CTE), the head once (backward index-only probe);
 * - the page bound is written `global_position + 0 <= head`, a filter rather than an index
 *   range, so the planner keeps the ordered primary-key scan that stops after `$2` rows instead
 *   of a bitmap scan plus sort over everything up to the head (quadratic over a catch-up);
 * - categories are read one ordered (category, global_position) index scan each, merged and cut
 *   to the page size: `category = ANY(...)` would lose the index order. Each scan is written as
 *   a range on that index, `(category, global_position) > (cat, $1) AND category <= cat`, not
 *   `category = cat AND global_position > $1`: with the equality the planner (not knowing the
 *   category) may walk the primary key and filter, which for a small category behind a large
 *   one reads the whole rest of the log per page (seconds instead of a millisecond).
 */
function readAllSql(byCategory: boolean, byType: boolean, horizon: string): string {
  const typeParam = byCategory ? '$4' : '$3';
  const typeFilter = byType ? `AND type = ANY(${typeParam}::text[])` : '';
  const page = byCategory
    ? `SELECT x.* FROM unnest($3::text[]) AS c(cat) CROSS JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM events
         WHERE (category, global_position) > (c.cat, $1::bigint) AND category <= c.cat
           AND global_position + 0 <= top.head ${typeFilter}
         ORDER BY category, global_position LIMIT $2
       ) x ORDER BY x.global_position LIMIT $2`
    : `SELECT ${EVENT_COLUMNS} FROM events
       WHERE global_position > $1 AND global_position + 0 <= top.head ${typeFilter}
       ORDER BY global_position LIMIT $2`;
  return `WITH h AS MATERIALIZED (SELECT ${horizon} AS horizon),
top AS MATERIALIZED (SELECT max(global_position) AS head FROM events WHERE global_position < (SELECT horizon FROM h))
SELECT top.head::text AS head, e.* FROM top LEFT JOIN LATERAL (${page}) e ON true`;
}

const DEFAULT_READ_ALL_PAGE = 1000;
/** How often a wait polls the head when LISTEN is unusable. */
const POLL_INTERVAL_MS = 200;
/** How often a wait looks again for an event known to be committed but still behind the horizon. */
const HORIZON_POLL_MS = 5;
/** Least time between two NOTIFYs of one store (cross-process wake-ups wait at most this long). */
const NOTIFY_INTERVAL_MS = 15;

function describeExpected(expected: ExpectedVersion): string {
  return typeof expected === 'number' ? String(expected) : expected;
}

/**
 * The stores of this process on one database share wake-ups: an append through one wakes the
 * waiters of all (the services of the embedded system each have a store), and they agree on
 * the highest position known committed.
 */
interface WakeHub {
  latestCommitted: bigint;
  /** Stores with waiters. */
  waiting: Set<PostgresEventStore>;
}
const wakeHubs = new Map<string, WakeHub>();

function wakeHubFor(pool: Pool, channel: string): WakeHub {
  const o = pool.options;
  const key = `${o.connectionString ?? `${o.host ?? ''}:${o.port ?? ''}/${o.database ?? ''}`}#${channel}`;
  let hub = wakeHubs.get(key);
  if (!hub) wakeHubs.set(key, (hub = { latestCommitted: 0n, waiting: new Set() }));
  return hub;
}

interface Waiter {
  after: bigint;
  /** Categories the waiter reads; undefined = all. */
  categories?: ReadonlySet<string>;
  wake(): void;
}

/** NOTIFY payloads stay far below PostgreSQL's 8000-byte limit; past this, one wakes everybody. */
const MAX_NOTIFY_CATEGORIES_LENGTH = 4000;

/**
 * Event store on PostgreSQL (`pg`). Schema: `migrateEventStore(pool)`.
 *
 * An append is one call of the `event_store_append` function in its own implicit transaction
 * (one round trip, named prepared statement, one jsonb parameter for the whole batch).
 *
 * Positions are `((xid + offset) << 16) + ordinal`: strictly increasing in the order readers
 * see events, but sparse and large (not event counts; keep them bigint end to end).
 *
 * Wake-ups: appends wake waiters of this instance directly and send a NOTIFY after they
 * commit, coalesced: at most one per 15 ms per store, carrying the highest position. NOTIFY is not sent
 * inside the append transaction: PostgreSQL serialises the commits of all notifying
 * transactions on one lock held through the commit's WAL flush, which would defeat group
 * commit for concurrent writers. A wake-up is only a hint: readers re-read, and fall back to
 * their timeout if a notification is lost (crash between commit and NOTIFY, LISTEN unusable).
 */
export class PostgresEventStore implements EventStore {
  private readonly channel: string;
  private readonly waiters = new Set<Waiter>();
  private listener: Promise<Client | undefined> | undefined;
  private listenerGeneration = 0;
  private listenRetryAt = 0;
  private pendingNotify: bigint | undefined;
  private readonly pendingNotifyCategories = new Set<string>();
  private notifying: Promise<void> | undefined;
  private closed = false;
  /**
   * Named (server-side prepared) statements save a parse and plan per call. Off once the server
   * says a name already exists on a fresh connection: PGlite's socket server shares one session
   * between all connections.
   */
  private prepared = true;
  private listenUsable: boolean | undefined;
  private readonly exclusive: boolean;
  private readonly horizon: { sql: string; statementSuffix: string };
  /** Shared with this process's other stores on the database; knows the highest committed position seen. */
  private readonly hub: WakeHub;

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.channel = options.notifyChannel ?? 'event_store_appended';
    this.exclusive = options.exclusive ?? false;
    this.horizon = options.serialTransactions ? { sql: SERIAL_HORIZON, statementSuffix: '_serial' } : { sql: HORIZON, statementSuffix: '' };
    this.hub = wakeHubFor(pool, this.channel);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new RangeError(
        `an append holds at most ${MAX_EVENTS_PER_APPEND} events (positions are xid << 16 + ordinal); got ${events.length}: split it`,
      );
    }
    const seen = new Set<string>();
    for (const e of events) {
      if (!isEventId(e.id)) throw new TypeError(`event ids must be UUIDs, got ${JSON.stringify(e.id)}`);
      const id = e.id.toLowerCase();
      if (seen.has(id)) throw new IdempotencyConflictError(e.id, 'twice in the same append');
      seen.add(id);
    }
    if (events.length === 0) return this.emptyAppend(streamId, options.expectedVersion);

    // A concurrent copy of this append can make ours fail on the event-id index and then roll
    // back itself; after a second look finds nothing stored we simply try again.
    for (let attempt = 0; ; attempt++) {
      let outcome;
      try {
        outcome = await this.withPrepared((prepared) =>
          runAppend(this.pool, streamId, events, options.expectedVersion, prepared),
        );
      } catch (e) {
        if (e instanceof DatabaseError && e.code === '23505' && e.constraint === 'events_event_id_key' && attempt < 3) {
          const retry = await this.resolveRetry(streamId, events);
          if (retry) return retry;
          continue;
        }
        throw e;
      }
      switch (outcome.outcome) {
        case 'appended':
          this.announce(outcome.lastPosition, streamCategory(streamId));
          return { nextExpectedVersion: outcome.version, lastGlobalPosition: outcome.lastPosition };
        case 'wrong_version':
          throw new ConcurrencyError(streamId, describeExpected(options.expectedVersion), outcome.actualVersion);
        case 'duplicate': {
          const retry = await this.resolveRetry(streamId, events);
          if (retry) return retry;
          if (attempt >= 3) throw new Error(`append to ${streamId}: could not settle a duplicate append`);
        }
      }
    }
  }

  async appendInTransaction(
    tx: TransactionClient,
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<TransactionalAppendResult> {
    if (events.length === 0 || events.length > MAX_EVENTS_PER_APPEND) {
      throw new RangeError(`an append in a transaction holds 1 to ${MAX_EVENTS_PER_APPEND} events, got ${events.length}`);
    }
    for (const e of events) if (!isEventId(e.id)) throw new TypeError(`event ids must be UUIDs, got ${JSON.stringify(e.id)}`);
    // Unnamed statement: the caller's connection may be any pool connection, or PGlite's shared session.
    const run = () => runAppend(tx as unknown as ClientBase, streamId, events, options.expectedVersion, false);
    let outcome: Awaited<ReturnType<typeof runAppend>>;
    if (options.expectedVersion !== 'any') {
      outcome = await run();
    } else {
      // With 'any' a stored event id fails on the unique index, which would abort the caller's
      // transaction: a savepoint keeps it usable, and the retry is then answered like the first append.
      await tx.query({ text: 'SAVEPOINT event_store_append' });
      try {
        outcome = await run();
        await tx.query({ text: 'RELEASE SAVEPOINT event_store_append' });
      } catch (e) {
        await tx.query({ text: 'ROLLBACK TO SAVEPOINT event_store_append' });
        if (!(e instanceof DatabaseError && e.code === '23505' && e.constraint === 'events_event_id_key')) throw e;
        outcome = { outcome: 'duplicate' };
      }
    }
    switch (outcome.outcome) {
      case 'appended':
        return {
          nextExpectedVersion: outcome.version,
          lastGlobalPosition: outcome.lastPosition,
          committed: () => this.announce(outcome.lastPosition, streamCategory(streamId)),
        };
      case 'wrong_version':
        throw new ConcurrencyError(streamId, describeExpected(options.expectedVersion), outcome.actualVersion);
      case 'duplicate': {
        // A retry (the same events, already stored in this stream) answers like the first append.
        const retry = await this.resolveRetry(streamId, events, tx);
        if (!retry) throw new IdempotencyConflictError(events[0].id, 'stored by a transaction that has not committed');
        return { ...retry, committed: () => undefined };
      }
    }
  }

  /**
   * Some of these ids are stored. If all of them are, in this stream, in this order, with the
   * same type and data, this is a retry: answer what the first append answered. Anything else
   * is a writer bug. Undefined when none is stored (the copy we collided with rolled back).
   */
  private async resolveRetry(streamId: string, events: NewEvent[], tx?: TransactionClient): Promise<AppendResult | undefined> {
    type RetryRow = {
      id: string;
      stream_id: string | null;
      stream_version: number | null;
      global_position: string | null;
      same_content: boolean | null;
    };
    const query = (config: { name: string; text: string; values: unknown[] }) =>
      tx ? (tx.query({ text: config.text, values: config.values }) as Promise<{ rows: RetryRow[] }>) : this.query<RetryRow>(config);
    const { rows } = await query({
      name: 'event_store_retry',
      text: `SELECT n.id, e.stream_id, e.stream_version, e.global_position::text AS global_position,
                    (e.type = n.type AND e.data = n.data) AS same_content
             FROM jsonb_to_recordset($1::jsonb) AS n(id uuid, type text, data jsonb)
             LEFT JOIN events e ON e.event_id = n.id`,
      values: [eventsParam(events)],
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const stored = events.map((e) => byId.get(e.id.toLowerCase()) ?? byId.get(e.id));
    if (stored.every((r) => !r || r.stream_id === null)) return undefined;
    const first = stored[0];
    for (let i = 0; i < events.length; i++) {
      const r = stored[i];
      const id = events[i].id;
      if (!r || r.stream_id === null) {
        throw new IdempotencyConflictError(id, 'only partly: some events of this append are stored, others not');
      }
      if (r.stream_id !== streamId) throw new IdempotencyConflictError(id, `to stream ${r.stream_id}`);
      if (!first || first.stream_version === null || r.stream_version !== first.stream_version + i) {
        throw new IdempotencyConflictError(id, 'in a different order or with other events in between');
      }
      if (!r.same_content) throw new IdempotencyConflictError(id, 'with a different type or data');
    }
    const last = stored[stored.length - 1]!;
    return {
      nextExpectedVersion: last.stream_version as number,
      lastGlobalPosition: BigInt(last.global_position as string),
    };
  }

  private async emptyAppend(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const { rows } = await this.query<{ version: number; last: string | null }>({
      name: 'event_store_stream_head',
      text: `SELECT s.version, (SELECT e.global_position::text FROM events e
                                WHERE e.stream_id = s.stream_id AND e.stream_version = s.version) AS last
             FROM streams s WHERE s.stream_id = $1`,
      values: [streamId],
    });
    const version = rows[0]?.version ?? 0;
    const wanted = expected === 'no_stream' ? 0 : expected;
    if (wanted !== 'any' && wanted !== version) throw new ConcurrencyError(streamId, describeExpected(expected), version);
    return { nextExpectedVersion: version, lastGlobalPosition: BigInt(rows[0]?.last ?? 0) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.query<EventRow>({
      rowMode: 'array',
      name: 'event_store_read_stream',
      text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2
             ORDER BY stream_version LIMIT $3`,
      values: [streamId, Math.max(1, options.fromVersion ?? 1), options.maxCount ?? null],
    });
    return rows.map((r) => toRecorded(r));
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.query<{ version: number }>({
      name: 'event_store_stream_version',
      text: 'SELECT version FROM streams WHERE stream_id = $1',
      values: [streamId],
    });
    return rows[0]?.version ?? 0;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? 0n;
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_PAGE;
    if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be ≥ 1, got ${maxCount}`);
    // Deduplicated: each category is its own index scan, a repeated one would repeat events.
    const categories = options.filter?.categories?.length ? [...new Set(options.filter.categories)] : undefined;
    const types = options.filter?.eventTypes?.length ? options.filter.eventTypes : undefined;
    const values: unknown[] = [after.toString(), maxCount + 1];
    if (categories) values.push(categories);
    if (types) values.push(types);
    const { rows } = await this.query<[head: string | null, ...event: EventRow]>({
      rowMode: 'array',
      name: `event_store_read_all_${categories ? 'c' : ''}${types ? 't' : ''}${this.horizon.statementSuffix}`,
      text: readAllSql(!!categories, !!types, this.horizon.sql),
      values,
    });
    // Always one row: the head, then the event columns (all null when the page is empty).
    const found = rows[0]?.[1] === null ? [] : rows;
    const events: RecordedEvent[] = new Array(Math.min(found.length, maxCount));
    for (let i = 0; i < events.length; i++) events[i] = toRecorded(found[i], 1);
    const head = rows[0]?.[0] ? BigInt(rows[0][0]) : 0n;
    if (found.length > maxCount) {
      return { events, position: events[events.length - 1].globalPosition, isEnd: false, head };
    }
    // Caught up: continue from the highest safe position, past events the filter skipped.
    return { events, position: head > after ? head : after, isEnd: true, head };
  }

  async headPosition(): Promise<bigint> {
    const { rows } = await this.query<{ head: string | null }>({
      name: `event_store_head${this.horizon.statementSuffix}`,
      // ORDER BY … LIMIT 1 rather than max(): a backward primary-key probe of one row; max() over
      // the CTE's bound scanned the whole index, which made each runner batch O(log size).
      text: `SELECT global_position::text AS head FROM events
             WHERE global_position < (SELECT ${this.horizon.sql}) ORDER BY global_position DESC LIMIT 1`,
    });
    return rows[0]?.head ? BigInt(rows[0].head) : 0n;
  }

  async waitForAppend(after: bigint, timeoutMs: number, signal?: AbortSignal, filter?: LogFilter): Promise<void> {
    if (this.closed || signal?.aborted) return;
    // Only category filters narrow wake-ups: type-only filters wake on every append.
    const categories = filter?.categories?.length ? new Set(filter.categories) : undefined;
    // Alone on its database, this process hears of every append without LISTEN.
    const listening = this.exclusive ? undefined : await this.listen();
    let waiter: Waiter | undefined;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let done = false;
    const woken = new Promise<void>((resolve) => {
      const finish = () => {
        done = true;
        resolve();
      };
      waiter = { after, categories, wake: finish };
      timer = setTimeout(finish, timeoutMs);
      onAbort = finish;
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted || this.closed) finish();
    });
    this.waiters.add(waiter!);
    this.hub.waiting.add(this);
    try {
      // Registered first, then look: whatever committed before registering is seen here,
      // whatever commits after wakes the waiter. With an exclusive log every commit went
      // through the hub, so there is nothing to look for unless it saw one past `after`.
      if (!(this.exclusive && this.hub.latestCommitted <= after) && (await this.headPosition()) > after) return;
      // Known to be committed, but not readable yet: an older transaction that may still commit
      // holds the horizon back. It becomes readable without any further append (no wake-up will
      // come), so look again shortly instead of sleeping until the timeout.
      while (!done && this.hub.latestCommitted > after) {
        await Promise.race([woken, new Promise((r) => setTimeout(r, HORIZON_POLL_MS).unref())]);
        if (!done && (await this.headPosition()) > after) return;
      }
      if (listening || this.exclusive) return await woken;
      // No usable LISTEN: appends of this instance still wake us; others are polled for.
      while (!done) {
        await Promise.race([woken, new Promise((r) => setTimeout(r, POLL_INTERVAL_MS).unref())]);
        if (!done && (await this.headPosition()) > after) return;
      }
    } finally {
      this.waiters.delete(waiter!);
      if (this.waiters.size === 0) this.hub.waiting.delete(this);
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops waits and the LISTEN connection. The pool belongs to the caller and stays open. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters) w.wake();
    this.waiters.clear();
    this.hub.waiting.delete(this);
    await this.notifying;
    const listener = await this.listener?.catch(() => undefined);
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private async withPrepared<T>(run: (prepared: boolean) => Promise<T>): Promise<T> {
    try {
      return await run(this.prepared);
    } catch (e) {
      if (!(this.prepared && e instanceof DatabaseError && e.code === '42P05')) throw e;
      this.prepared = false;
      return run(false);
    }
  }

  private query<R extends QueryResultRow | unknown[]>(config: {
    name: string;
    text: string;
    values?: unknown[];
    rowMode?: 'array';
  }): Promise<QueryResult<R & QueryResultRow>> {
    return this.withPrepared((prepared) =>
      this.pool.query<R & QueryResultRow>(prepared ? config : { ...config, name: undefined }),
    );
  }

  /**
   * Wakes the waiters behind `position` that read one of `categories` (all of them when the
   * appended categories are unknown). Each projection runner waits with its filter, so an append
   * wakes only the read models it feeds instead of every runner of the process.
   */
  private wake(position: bigint, categories?: readonly string[]): void {
    if (position > this.hub.latestCommitted) this.hub.latestCommitted = position;
    for (const store of this.hub.waiting) store.wakeWaiters(position, categories);
  }

  private wakeWaiters(position: bigint, categories?: readonly string[]): void {
    for (const w of this.waiters) {
      if (position <= w.after) continue;
      if (categories && w.categories && !categories.some((c) => w.categories!.has(c))) continue;
      w.wake();
    }
  }

  /** Local waiters now; other processes (if the database has any) through a coalesced NOTIFY after the commit. */
  private announce(position: bigint, category: string): void {
    this.wake(position, [category]);
    if (this.exclusive) return; // no other process to tell
    if (this.pendingNotify === undefined || position > this.pendingNotify) this.pendingNotify = position;
    this.pendingNotifyCategories.add(category);
    this.notifying ??= this.flushNotifications();
  }

  private async flushNotifications(): Promise<void> {
    try {
      while (this.pendingNotify !== undefined) {
        const position = this.pendingNotify;
        const categories = [...this.pendingNotifyCategories].join(',');
        this.pendingNotify = undefined;
        this.pendingNotifyCategories.clear();
        // "<position> <category,…>"; a bare position (older writers, or too many categories) wakes everybody.
        const payload = categories.length <= MAX_NOTIFY_CATEGORIES_LENGTH ? `${position} ${categories}` : position.toString();
        // Losing a notification costs a reader its timeout, never an event: no need to wait
        // for the WAL flush of this tiny transaction.
        await this
          .query({
            name: 'event_store_notify',
            text: `SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)`,
            values: [this.channel, payload],
          })
          .catch(() => undefined);
        // At most one NOTIFY per interval: under a stream of appends one carries them all.
        await new Promise((r) => setTimeout(r, NOTIFY_INTERVAL_MS).unref());
      }
    } finally {
      this.notifying = undefined;
    }
  }

  /**
   * One LISTEN connection per store, opened on the first wait. It is trusted only after a probe
   * notification came back through it (PGlite's socket server accepts LISTEN but does not
   * deliver); otherwise, or when it cannot connect, waits poll the head instead.
   */
  private listen(): Promise<Client | undefined> {
    if (this.listener) return this.listener;
    if (this.listenUsable === false || Date.now() < this.listenRetryAt) return Promise.resolve(undefined);
    const generation = ++this.listenerGeneration;
    this.listener = (async () => {
      const client = new Client(this.pool.options);
      const probe = `probe:${randomUUID()}`;
      let probed: () => void = () => undefined;
      const probeArrived = new Promise<boolean>((resolve) => {
        probed = () => resolve(true);
        setTimeout(() => resolve(false), 2_000).unref();
      });
      try {
        client.on('notification', (msg) => {
          if (msg.channel !== this.channel || !msg.payload) return;
          if (msg.payload === probe) return probed();
          const announced = /^(\d+)(?: ([^ ]+))?$/.exec(msg.payload);
          if (announced) this.wake(BigInt(announced[1]), announced[2]?.split(','));
        });
        client.on('error', () => this.dropListener(generation, client));
        client.on('end', () => this.dropListener(generation, client));
        await client.connect();
        await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
        await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, probe]);
        if (!(await probeArrived)) {
          this.listenUsable = false;
          throw new Error('LISTEN does not deliver notifications here');
        }
        this.listenUsable = true;
        if (this.closed) throw new Error('closed');
        return client;
      } catch {
        if (this.listenerGeneration === generation) {
          this.listenerGeneration++;
          this.listener = undefined;
        }
        await client.end().catch(() => undefined);
        this.listenRetryAt = Date.now() + 30_000;
        return undefined;
      }
    })();
    return this.listener;
  }

  private dropListener(generation: number, client: Client): void {
    void client.end().catch(() => undefined);
    if (this.listenerGeneration !== generation || this.closed) return;
    this.listenerGeneration++;
    this.listener = undefined;
    // Whoever waits now would otherwise sleep through appends it can no longer hear about.
    for (const w of this.waiters) w.wake();
  }
}
