import { Client, type Pool, type PoolClient } from 'pg';
import { sleep, systemClock, uuidv7, type BackoffOptions, type Clock } from '@platform/core';
import type { RecordedEvent } from '../port/event';
import type { EventStore, ReadAllResult } from '../port/event-store.port';
import { decideAfterFailure, isTransientDatabaseError, transientRetry, type RetryDecision } from './failure-policy';
import type { Projection } from './projection';
import { inTransaction } from '../postgres/transaction';
import { lockCheckpoint, readCheckpoint, rebuildProjection } from './projection-checkpoints';

export type ProjectionState = 'stopped' | 'waiting-for-lock' | 'catching-up' | 'live' | 'backing-off';

export interface ProjectionLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface ProjectionRunnerOptions {
  /** Events per transaction; default `projection.batchSize`, else 500. */
  batchSize?: number;
  /** Failed single-event attempts before the event is parked (default 5). */
  maxAttempts?: number;
  /** Delays between retries (default 100 ms doubling up to 30 s). */
  backoff?: BackoffOptions;
  /**
   * Longest live wait for an append (default 1000 ms). Each time it ends the runner also
   * re-reads its checkpoint row, which is how it notices a rebuild made by another process.
   */
  idleWaitMs?: number;
  /** How often a runner without the lock tries again (default 2000 ms). */
  lockRetryMs?: number;
  logger?: ProjectionLogger;
  clock?: Clock;
}

export interface ProjectionRunnerDeps {
  pool: Pool;
  store: EventStore;
  projection: Projection;
  options?: ProjectionRunnerOptions;
}

export interface ProjectionError {
  message: string;
  at: Date;
  /** Set when the failure was pinned to one event. */
  eventId?: string;
}

export interface ProjectionStatus {
  name: string;
  /** This runner instance (also the checkpoint row's `owner` while it holds the lease). */
  runnerId: string;
  state: ProjectionState;
  /** Checkpoint: everything up to here is applied (the lease holder's view; others re-read the row). */
  position: bigint;
  /** The lease holder's read position (≥ `position`): beyond the checkpoint only other projections' events. */
  readPosition: bigint;
  /** The store's highest safe position when last asked; null before the first ask. */
  headPosition: bigint | null;
  /**
   * Positions between the store's head and what this projection has covered: 0 means caught up
   * (the last read reached the end of the log and the head has not moved since). Positions are
   * the adapter's (PostgreSQL: `(xid << 16) + n`, so sparse): read it as "behind or not" and
   * as a trend, not as an event count. Null until the head is known.
   */
  lag: bigint | null;
  /**
   * How far behind in time: age of the oldest event read but not yet applied (it grows while a
   * failing event is retried); 0 when nothing read is pending. Null while this runner has no lease.
   */
  lagMs: number | null;
  parkedCount: number;
  /** The most recent failure (kept after recovery; `state` says whether it is current). */
  lastError: ProjectionError | null;
  /** When a transaction last moved the checkpoint over events (handled or parked). */
  lastProcessedAt: Date | null;
}

/** The fencing token on the checkpoint row is not ours: another runner holds the lease now. */
class LeaseLostError extends Error {
  constructor(name: string) {
    super(`projection ${name}: lease lost`);
  }
}

/** The checkpoint row moved under the runner (a rebuild, or a commit whose reply was lost). */
class CheckpointMovedError extends Error {
  constructor(name: string) {
    super(`projection ${name}: checkpoint moved`);
  }
}

interface Lease {
  client: Client;
  lost: boolean;
}

/**
 * True only when this session does not hold the lock yet and gets it now. The first check
 * matters on PGlite, whose connections all share one session: there `pg_try_advisory_lock`
 * would succeed again for a second runner in the same process.
 */
const TRY_LOCK_SQL = `
  SELECT CASE WHEN EXISTS (
      SELECT 1 FROM pg_locks
       WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objsubid = 1
         AND classid = ((k >> 32) & 4294967295)::oid AND objid = (k & 4294967295)::oid)
    THEN false ELSE pg_try_advisory_lock(k) END AS acquired
  FROM (SELECT hashtext('projection:' || $1::text)::bigint AS k) AS lock_key`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtext('projection:' || $1::text))`;

const defaultLogger: ProjectionLogger = {
  info: () => undefined,
  warn: (message, context) => console.warn(message, context ?? ''),
  error: (message, context) => console.error(message, context ?? ''),
};

const errorText = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e)).slice(0, 8000);
const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Feeds one projection from the log: reads a batch after the checkpoint, then in one
 * transaction applies it and moves the checkpoint, so a crash before commit just replays the
 * batch. One runner per projection is active across processes: it holds a session advisory
 * lock on a dedicated connection, and every batch transaction re-checks its fencing token on
 * the checkpoint row, so a runner that lost its lock cannot commit. A batch whose handler
 * fails is retried one event per transaction; an event failing `maxAttempts` times is parked.
 */
export class ProjectionRunner {
  readonly runnerId = uuidv7();
  readonly name: string;
  private readonly pool: Pool;
  private readonly store: EventStore;
  private readonly projection: Projection;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly idleWaitMs: number;
  private readonly lockRetryMs: number;
  private readonly logger: ProjectionLogger;
  private readonly clock: Clock;

  private state: ProjectionState = 'stopped';
  /** The checkpoint row's position: every commit is fenced on it. */
  private position = 0n;
  /**
   * Where the next read starts: ahead of `position` when reads found only other projections'
   * events. Such skips are written to the checkpoint at most once per `idleWaitMs`, so an
   * append elsewhere in the log costs this projection no transaction (it is not even woken when
   * its filter names categories). After a crash the skipped range is just filtered again.
   */
  private readPosition = 0n;
  private skipSavedAt = 0;
  private generation = 0;
  private headPosition: bigint | null = null;
  /** Head measured just before a read that reached the end: everything up to it is covered. */
  private coveredHead: bigint | null = null;
  /** The store reports the head with each page (learned from the first read). */
  private headFromReads = false;
  /** When the checkpoint row was last re-read (epoch ms). */
  private lastSyncAt = 0;
  private parkedCount = 0;
  private lastError: ProjectionError | null = null;
  private lastProcessedAt: Date | null = null;
  /** `recordedAt` of the oldest event read and not yet applied or parked. */
  private oldestPendingAt: Date | null = null;

  private loop?: Promise<void>;
  private stopping = false;
  private wakeRequested = false;
  private waitController?: AbortController;
  private lockClient?: Client;
  private lease?: Lease;

  constructor(deps: ProjectionRunnerDeps) {
    const o = deps.options ?? {};
    this.pool = deps.pool;
    this.store = deps.store;
    this.projection = deps.projection;
    this.name = deps.projection.name;
    this.batchSize = o.batchSize ?? deps.projection.batchSize ?? 500;
    this.maxAttempts = o.maxAttempts ?? 5;
    this.backoff = o.backoff ?? { initialMs: 100, maxMs: 30_000 };
    this.idleWaitMs = o.idleWaitMs ?? 1000;
    this.lockRetryMs = o.lockRetryMs ?? 2000;
    this.logger = o.logger ?? defaultLogger;
    this.clock = o.clock ?? systemClock;
    if (this.batchSize < 1 || this.maxAttempts < 1) throw new Error('batchSize and maxAttempts must be at least 1');
  }

  /** Starts the background loop: wait for the lock, catch up, then follow the log live. */
  start(): void {
    if (this.loop) throw new Error(`projection ${this.name}: runner already started`);
    this.stopping = false;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      this.state = 'stopped';
    });
  }

  /** Lets the current batch finish, releases the lock and resolves when the loop has ended. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.interrupt();
    await this.loop;
  }

  /**
   * Empties the read model and replays the log from 0 (see `rebuildProjection`). Whichever
   * runner holds the lease does the replay; this one starts it at once if it is the holder.
   */
  async rebuild(): Promise<void> {
    await rebuildProjection(this.pool, this.projection, { clock: this.clock });
    this.wakeRequested = true;
    this.interrupt();
  }

  status(): ProjectionStatus {
    const head = this.headPosition;
    const covered = this.coveredHead !== null && this.coveredHead > this.position ? this.coveredHead : this.position;
    return {
      name: this.name,
      runnerId: this.runnerId,
      state: this.state,
      position: this.position,
      readPosition: this.readPosition,
      headPosition: head,
      lag: head === null ? null : head > covered ? head - covered : 0n,
      lagMs: !this.lease
        ? null
        : this.oldestPendingAt
          ? Math.max(0, this.clock.now().getTime() - this.oldestPendingAt.getTime())
          : 0,
      parkedCount: this.parkedCount,
      lastError: this.lastError,
      lastProcessedAt: this.lastProcessedAt,
    };
  }

  private async run(): Promise<void> {
    let lostLease = false;
    while (!this.stopping) {
      const lease = await this.acquireLease(lostLease);
      if (!lease) break;
      let failed = false;
      try {
        await this.follow(lease);
      } catch (e) {
        failed = true;
        this.recordError(e);
        this.logger.error(`projection ${this.name}: runner loop failed`, { error: errorMessage(e) });
      } finally {
        await this.releaseLease(lease);
      }
      lostLease = lease.lost || failed;
      if (lease.lost && !this.stopping) this.logger.warn(`projection ${this.name}: lease lost, waiting for the lock again`);
    }
  }

  // ---- lease -------------------------------------------------------------------------------

  /** After losing a lease the runner lets healthier peers go first: it waits once before trying. */
  private async acquireLease(afterLoss: boolean): Promise<Lease | undefined> {
    this.state = 'waiting-for-lock';
    if (afterLoss) await this.pause((signal) => sleep(this.lockRetryMs, signal));
    while (!this.stopping) {
      this.wakeRequested = false; // a rebuild seen while waiting is picked up by reading the checkpoint on acquiring
      try {
        const client = (this.lockClient ??= await this.connectLockClient());
        const { rows } = await client.query<{ acquired: boolean }>(TRY_LOCK_SQL, [this.name]);
        if (rows[0].acquired) {
          const lease: Lease = { client, lost: false };
          this.lease = lease;
          try {
            await this.claimCheckpoint();
          } catch (e) {
            await this.releaseLease(lease);
            throw e;
          }
          this.logger.info(`projection ${this.name}: lease acquired`, { runnerId: this.runnerId, position: this.position });
          this.state = 'catching-up';
          return lease;
        }
        await this.observe();
      } catch (e) {
        this.recordError(e);
        this.logger.warn(`projection ${this.name}: could not try the lock`, { error: errorMessage(e) });
        await this.closeLockClient();
      }
      await this.pause((signal) => sleep(this.lockRetryMs, signal));
    }
    return undefined;
  }

  private async connectLockClient(): Promise<Client> {
    const client = new Client({
      ...this.pool.options,
      application_name: `projection-lock:${this.name}`.slice(0, 63),
      // Notices a silently dropped link sooner; safety never depends on it (the fencing token does that).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    const lost = (error?: Error) => this.onLockConnectionLost(client, error);
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    return client;
  }

  private onLockConnectionLost(client: Client, error?: Error): void {
    if (this.lockClient !== client) return; // closed on purpose
    this.lockClient = undefined;
    if (this.lease?.client === client && !this.lease.lost) {
      this.lease.lost = true;
      this.recordError(error ?? new Error('lock connection lost'));
      this.logger.error(`projection ${this.name}: lock connection lost, processing stops`, {
        error: error && errorMessage(error),
      });
      this.interrupt();
    }
  }

  /** Writes this runner's id as the fencing token; the row lock waits for a stale holder's open batch. */
  private async claimCheckpoint(): Promise<void> {
    const now = this.clock.now();
    const checkpoint = await inTransaction(this.pool, async (tx) => {
      const c = await lockCheckpoint(tx, this.name, now);
      await tx.query('UPDATE projection_checkpoints SET owner = $2, owner_since = $3 WHERE name = $1', [
        this.name,
        this.runnerId,
        now,
      ]);
      return c;
    });
    this.adopt(checkpoint.position, checkpoint.generation);
    await this.refreshParkedCount();
  }

  private async releaseLease(lease: Lease): Promise<void> {
    if (this.lease === lease) this.lease = undefined;
    if (!lease.lost) {
      await this.pool
        .query('UPDATE projection_checkpoints SET owner = NULL, owner_since = NULL WHERE name = $1 AND owner = $2', [
          this.name,
          this.runnerId,
        ])
        .catch(() => undefined);
    }
    // Explicit unlock matters on PGlite, where closing the connection does not end the shared session.
    if (this.lockClient === lease.client) await lease.client.query(UNLOCK_SQL, [this.name]).catch(() => undefined);
    await this.closeLockClient();
  }

  private async closeLockClient(): Promise<void> {
    const client = this.lockClient;
    this.lockClient = undefined;
    await client?.end().catch(() => undefined);
  }

  // ---- processing --------------------------------------------------------------------------

  private async follow(lease: Lease): Promise<void> {
    let isolateUntil: bigint | null = null;
    let eventAttempts = { eventId: '', count: 0 };
    let transientStreak = 0;

    while (!this.stopping && !lease.lost) {
      const from = this.readPosition;
      let result: ReadAllResult;
      let headBefore: bigint;
      try {
        if (this.wakeRequested) {
          this.wakeRequested = false;
          if (await this.syncCheckpoint(lease)) isolateUntil = null;
          continue;
        }
        if (isolateUntil !== null && from >= isolateUntil) isolateUntil = null;
        // Stores that report the head with each page (PostgreSQL) save a round trip per batch.
        const headAsked = this.headFromReads ? undefined : await this.store.headPosition();
        result = await this.store.readAll({
          after: from,
          maxCount: isolateUntil !== null ? 1 : this.batchSize,
          filter: this.projection.filter,
        });
        this.headFromReads = result.head !== undefined;
        headBefore = result.head ?? headAsked ?? this.headPosition ?? 0n;
        this.headPosition = headBefore;
      } catch (e) {
        transientStreak++;
        await this.backOff(e, transientRetry(transientStreak, this.policy()));
        continue;
      }

      const events = result.events;
      this.state = result.isEnd ? 'live' : 'catching-up';
      if (events.length > 0) this.oldestPendingAt ??= events[0].recordedAt;
      try {
        if (events.length > 0) {
          if (this.projection.beforeCheckpoint) await this.projection.beforeCheckpoint(events);
          await this.commitFenced(lease, this.position, result.position, (tx) => this.projection.handle(events, tx));
          this.afterCommit(events);
          this.moveTo(result.position);
          this.lastProcessedAt = this.clock.now();
          transientStreak = 0;
        } else if (result.position > from) {
          // Only events this projection does not read: remember the skip, save it now and then.
          this.readPosition = result.position;
          transientStreak = 0;
        }
        // Also when nothing else comes: the idle wait ends after idleWaitMs and reads again.
        await this.saveSkipped(lease);
        // Still catching up: the next pending event is newer than the last one applied.
        this.oldestPendingAt = result.isEnd ? null : (events.at(-1)?.recordedAt ?? this.oldestPendingAt);
        if (result.isEnd) this.coveredHead = headBefore;
      } catch (e) {
        if (e instanceof LeaseLostError) {
          lease.lost = true;
          break;
        }
        if (e instanceof CheckpointMovedError) {
          await this.syncCheckpoint(lease).catch((se) => this.recordError(se));
          isolateUntil = null;
          continue;
        }
        const transient = isTransientDatabaseError(e);
        transientStreak = transient ? transientStreak + 1 : 0;
        const event = events.length === 1 ? events[0] : undefined;
        if (event && !transient) {
          eventAttempts =
            eventAttempts.eventId === event.id ? { eventId: event.id, count: eventAttempts.count + 1 } : { eventId: event.id, count: 1 };
        }
        const decision = decideAfterFailure(
          { batchSize: events.length, transient, transientStreak, eventAttempts: event ? eventAttempts.count : 0 },
          this.policy(),
        );
        if (decision.action === 'park') {
          await this.park(lease, this.position, result.position, event!, eventAttempts.count, e);
        } else {
          if (decision.action === 'isolate') isolateUntil = result.position;
          await this.backOff(e, decision, event?.id);
        }
        continue;
      }

      if (result.isEnd && !this.stopping && !lease.lost) {
        this.state = 'live';
        try {
          await this.pause((signal) =>
            this.store.waitForAppend(this.readPosition, this.idleWaitMs, signal, this.projection.filter),
          );
          // A checkpoint moved by someone else (a rebuild, another runner) also fails the next
          // commit's guard; looking on every wake-up would cost two queries per batch.
          if (!this.stopping && !lease.lost && this.clock.now().getTime() - this.lastSyncAt >= this.idleWaitMs) {
            if (await this.syncCheckpoint(lease)) isolateUntil = null;
          }
        } catch (e) {
          transientStreak++;
          await this.backOff(e, transientRetry(transientStreak, this.policy()));
        }
      }
    }
  }

  /**
   * One transaction: run `work`, then move the checkpoint with an UPDATE guarded by the fencing
   * token and the expected position; a stale runner fails the guard and commits nothing. The
   * guard is the only check: reading the row first costs a round trip per batch, and locking it
   * up front would take a transaction id, which every event-store reader waits for (a handler
   * that writes nothing in the database, the Kafka relay, thus holds none while it waits on its
   * broker). What a handler did outside the database in a batch that then fails the guard (after
   * a rebuild or a lost lease: rare) is done again by the new owner; consumers' inboxes take the
   * duplicates.
   */
  private async commitFenced(
    lease: Lease,
    from: bigint,
    to: bigint,
    work: (tx: PoolClient) => Promise<void>,
  ): Promise<void> {
    if (lease.lost) throw new LeaseLostError(this.name);
    const now = this.clock.now();
    await inTransaction(this.pool, async (tx) => {
      await work(tx);
      const moved = await tx.query(
        `UPDATE projection_checkpoints SET position = $2, updated_at = $3
         WHERE name = $1 AND owner = $4 AND generation = $5 AND position = $6`,
        [this.name, to.toString(), now, this.runnerId, this.generation, from.toString()],
      );
      if (moved.rowCount !== 1) {
        // Someone changed the row since this runner read it: say who (lease lost or checkpoint moved).
        this.checkFence(await readCheckpoint(tx, this.name), from);
        throw new CheckpointMovedError(this.name);
      }
      // The lock connection died while the batch ran: do not commit under a lease someone else may hold.
      if (lease.lost) throw new LeaseLostError(this.name);
    });
  }

  /** Writes the read position as the checkpoint when it ran ahead and idleWaitMs passed since the last such write. */
  private async saveSkipped(lease: Lease): Promise<void> {
    const now = this.clock.now().getTime();
    if (this.readPosition <= this.position || now - this.skipSavedAt < this.idleWaitMs) return;
    this.skipSavedAt = now;
    const to = this.readPosition;
    await this.commitFenced(lease, this.position, to, () => Promise.resolve());
    this.moveTo(to);
  }

  private afterCommit(events: RecordedEvent[]): void {
    try {
      this.projection.afterCommit?.(events);
    } catch (e) {
      this.logger.warn(`projection ${this.name}: after-commit step failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private checkFence(checkpoint: Awaited<ReturnType<typeof readCheckpoint>>, from: bigint): void {
    if (!checkpoint || checkpoint.owner !== this.runnerId) throw new LeaseLostError(this.name);
    if (checkpoint.generation !== this.generation || checkpoint.position !== from) {
      throw new CheckpointMovedError(this.name);
    }
  }

  private async park(
    lease: Lease,
    from: bigint,
    to: bigint,
    event: RecordedEvent,
    attempts: number,
    cause: unknown,
  ): Promise<void> {
    const now = this.clock.now();
    try {
      await this.commitFenced(lease, from, to, async (tx) => {
        await tx.query(
          `INSERT INTO parked_events (projection, event_id, global_position, stream_id, stream_version, event_type,
             attempts, last_error, parked_at, last_attempt_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
           ON CONFLICT (projection, event_id) DO UPDATE SET attempts = EXCLUDED.attempts,
             last_error = EXCLUDED.last_error, last_attempt_at = EXCLUDED.last_attempt_at`,
          [
            this.name,
            event.id,
            event.globalPosition.toString(),
            event.streamId,
            event.streamVersion,
            event.type,
            attempts,
            errorText(cause),
            now,
          ],
        );
      });
    } catch (e) {
      if (e instanceof LeaseLostError) {
        lease.lost = true;
        return;
      }
      if (e instanceof CheckpointMovedError) {
        await this.syncCheckpoint(lease).catch((se) => this.recordError(se));
        return;
      }
      // Not parked: the loop reads the event again and parks it on its next failure.
      await this.backOff(e, transientRetry(1, this.policy()));
      return;
    }
    this.moveTo(to);
    this.lastProcessedAt = now;
    this.oldestPendingAt = null;
    this.parkedCount++;
    this.recordError(cause, event.id);
    this.logger.error(`projection ${this.name}: parked event after ${attempts} attempts`, {
      eventId: event.id,
      type: event.type,
      streamId: event.streamId,
      globalPosition: event.globalPosition.toString(),
      error: errorMessage(cause),
    });
  }

  /**
   * Re-reads the checkpoint row. Adopts it when a rebuild changed the generation or the
   * position moved; marks the lease lost when another runner's token is there. Returns true
   * when the position was replaced.
   */
  private async syncCheckpoint(lease: Lease): Promise<boolean> {
    this.lastSyncAt = this.clock.now().getTime();
    const checkpoint = await readCheckpoint(this.pool, this.name);
    // While this runner holds the lease only it parks (and counts as it does): a count of 0 can
    // only change here, so it is read again only while there are parked events to retry or discard.
    if (this.parkedCount > 0) await this.refreshParkedCount();
    if (!checkpoint || checkpoint.owner !== this.runnerId) {
      lease.lost = true;
      return false;
    }
    if (checkpoint.generation === this.generation && checkpoint.position === this.position) return false;
    if (checkpoint.generation !== this.generation) {
      this.logger.info(`projection ${this.name}: rebuild detected, replaying from ${checkpoint.position}`);
    }
    this.adopt(checkpoint.position, checkpoint.generation);
    return true;
  }

  private adopt(position: bigint, generation: number): void {
    if (generation !== this.generation || position !== this.position) this.oldestPendingAt = null;
    if (generation !== this.generation || position < this.position) this.coveredHead = null;
    this.position = position;
    this.readPosition = position;
    this.generation = generation;
  }

  /** After a commit moved the checkpoint to `to`. */
  private moveTo(to: bigint): void {
    this.position = to;
    if (to > this.readPosition) this.readPosition = to;
  }

  /** Status refresh for a runner without the lease (the holder may be another process). */
  private async observe(): Promise<void> {
    const checkpoint = await readCheckpoint(this.pool, this.name);
    if (checkpoint) this.adopt(checkpoint.position, checkpoint.generation);
    await this.refreshParkedCount();
    this.headPosition = await this.store.headPosition();
  }

  private async refreshParkedCount(): Promise<void> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM parked_events WHERE projection = $1',
      [this.name],
    );
    this.parkedCount = rows[0].n;
  }

  // ---- waiting -----------------------------------------------------------------------------

  private policy() {
    return { maxAttempts: this.maxAttempts, backoff: this.backoff };
  }

  private async backOff(error: unknown, decision: RetryDecision, eventId?: string) {
    this.recordError(error, eventId);
    this.logger.warn(`projection ${this.name}: ${decision.action} after failure`, {
      error: errorMessage(error),
      eventId,
      delayMs: decision.delayMs,
    });
    this.state = 'backing-off';
    await this.pause((signal) => sleep(decision.delayMs, signal));
  }

  private recordError(error: unknown, eventId?: string): void {
    this.lastError = { message: errorMessage(error), at: this.clock.now(), ...(eventId ? { eventId } : {}) };
  }

  /** Runs a wait that `interrupt()` (stop, rebuild, lease loss) cuts short. */
  private async pause(wait: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    this.waitController = controller;
    try {
      if (this.stopping || this.wakeRequested || this.lease?.lost) return;
      await wait(controller.signal);
    } finally {
      if (this.waitController === controller) this.waitController = undefined;
    }
  }

  private interrupt(): void {
    this.waitController?.abort();
  }
}
