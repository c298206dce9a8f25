import type { Pool } from 'pg';
import { systemClock, type Clock } from '@platform/core';
import type { RecordedEvent } from '../port/event';
import type { EventStore } from '../port/event-store.port';
import type { Projection } from './projection';
import { inTransaction } from '../postgres/transaction';
import { lockCheckpoint } from './projection-checkpoints';

/** An event a projection gave up on after `maxAttempts`; its checkpoint has moved past it. */
export interface ParkedEvent {
  projection: string;
  eventId: string;
  globalPosition: bigint;
  streamId: string;
  streamVersion: number;
  type: string;
  attempts: number;
  lastError: string;
  parkedAt: Date;
  lastAttemptAt: Date;
}

interface ParkedRow {
  projection: string;
  event_id: string;
  global_position: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  attempts: number;
  last_error: string;
  parked_at: Date;
  last_attempt_at: Date;
}

const toParked = (r: ParkedRow): ParkedEvent => ({
  projection: r.projection,
  eventId: r.event_id,
  globalPosition: BigInt(r.global_position),
  streamId: r.stream_id,
  streamVersion: r.stream_version,
  type: r.event_type,
  attempts: r.attempts,
  lastError: r.last_error,
  parkedAt: r.parked_at,
  lastAttemptAt: r.last_attempt_at,
});

const PARKED_COLUMNS = `projection, event_id, global_position::text AS global_position, stream_id, stream_version,
  event_type, attempts, last_error, parked_at, last_attempt_at`;

/** Parked events of one projection (or all), in log order. */
export async function listParked(pool: Pool, projection?: string): Promise<ParkedEvent[]> {
  const { rows } = await pool.query<ParkedRow>(
    `SELECT ${PARKED_COLUMNS} FROM parked_events WHERE $1::text IS NULL OR projection = $1
     ORDER BY projection, global_position`,
    [projection ?? null],
  );
  return rows.map(toParked);
}

/** Gives up on a parked event for good (the operator decided it needs no effect). */
export async function discardParked(pool: Pool, projection: string, eventId: string): Promise<boolean> {
  const { rowCount } = await pool.query('DELETE FROM parked_events WHERE projection = $1 AND event_id = $2', [
    projection,
    eventId,
  ]);
  return (rowCount ?? 0) > 0;
}

export interface RetryParkedDeps {
  pool: Pool;
  store: EventStore;
  projection: Projection;
  clock?: Clock;
}

export interface RetryParkedResult {
  succeeded: string[];
  failed: Array<{ eventId: string; error: string }>;
}

/** The stored event at a global position, if it is still there with that id. */
async function readEventAt(store: EventStore, parked: ParkedEvent): Promise<RecordedEvent | undefined> {
  const { events } = await store.readAll({ after: parked.globalPosition - 1n, maxCount: 1 });
  const event = events[0];
  return event && event.id === parked.eventId && event.globalPosition === parked.globalPosition ? event : undefined;
}

/**
 * Re-applies parked events (all of the projection's, or those listed) through `handle`, one
 * transaction each; success deletes the parked row in that transaction, failure records the
 * attempt and keeps it. The checkpoint row is locked first (same order as the runner), so a
 * retry never interleaves with a batch or a rebuild. The event is applied after later events
 * were: handlers must tolerate that order for events they may park.
 */
export async function retryParked(deps: RetryParkedDeps, eventIds?: string[]): Promise<RetryParkedResult> {
  const clock = deps.clock ?? systemClock;
  const name = deps.projection.name;
  const wanted = eventIds ? new Set(eventIds) : undefined;
  const parked = (await listParked(deps.pool, name)).filter((p) => !wanted || wanted.has(p.eventId));
  const result: RetryParkedResult = { succeeded: [], failed: [] };

  for (const p of parked) {
    try {
      const event = await readEventAt(deps.store, p);
      if (!event) throw new Error(`event ${p.eventId} is no longer at position ${p.globalPosition} in the store`);
      const applied = await inTransaction(deps.pool, async (tx) => {
        await lockCheckpoint(tx, name, clock.now());
        const still = await tx.query('SELECT 1 FROM parked_events WHERE projection = $1 AND event_id = $2 FOR UPDATE', [
          name,
          p.eventId,
        ]);
        if (still.rowCount === 0) return false; // retried, discarded or cleared by a rebuild meanwhile
        await deps.projection.handle([event], tx);
        await tx.query('DELETE FROM parked_events WHERE projection = $1 AND event_id = $2', [name, p.eventId]);
        return true;
      });
      if (applied) result.succeeded.push(p.eventId);
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      result.failed.push({ eventId: p.eventId, error: e instanceof Error ? e.message : String(e) });
      await deps.pool
        .query(
          `UPDATE parked_events SET attempts = attempts + 1, last_error = $3, last_attempt_at = $4
           WHERE projection = $1 AND event_id = $2`,
          [name, p.eventId, error.slice(0, 8000), clock.now()],
        )
        .catch(() => undefined);
    }
  }
  return result;
}
