import type { Pool, PoolClient } from 'pg';
import { systemClock, type Clock } from '@platform/core';
import type { Projection } from './projection';
import { inTransaction } from '../postgres/transaction';

export interface Checkpoint {
  position: bigint;
  generation: number;
  owner: string | null;
}

type Queryable = Pick<PoolClient, 'query'>;

interface CheckpointRow {
  position: string;
  generation: number;
  owner: string | null;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  position: BigInt(r.position),
  generation: r.generation,
  owner: r.owner,
});

export async function readCheckpoint(db: Queryable, name: string, forUpdate = false): Promise<Checkpoint | undefined> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT position::text AS position, generation, owner FROM projection_checkpoints WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [name],
  );
  return rows[0] && toCheckpoint(rows[0]);
}

/** Creates the row at position 0 if missing and locks it for the rest of the transaction. */
export async function lockCheckpoint(tx: Queryable, name: string, now: Date): Promise<Checkpoint> {
  await tx.query(
    `INSERT INTO projection_checkpoints (name, position, generation, updated_at) VALUES ($1, 0, 0, $2)
     ON CONFLICT (name) DO NOTHING`,
    [name, now],
  );
  return (await readCheckpoint(tx, name, true))!;
}

/** The projection has no `reset`, so its read model cannot be emptied for a rebuild. */
export class ProjectionNotRebuildableError extends Error {
  constructor(name: string) {
    super(`projection ${name} has no reset(): it cannot be rebuilt`);
    this.name = 'ProjectionNotRebuildableError';
  }
}

/**
 * Empties the projection's read model and moves its checkpoint back to 0, in one transaction
 * that holds the checkpoint row lock, so it is safe while runners are active anywhere: a
 * runner's batch transaction locks the same row first, so a batch commits wholly before the
 * reset (and is wiped by it) or finds the bumped generation after it and starts over from 0.
 * The runner holding the lease replays the log; this function does not process events.
 * Parked events are cleared: the replay meets them again.
 */
export async function rebuildProjection(
  pool: Pool,
  projection: Projection,
  options: { clock?: Clock } = {},
): Promise<Checkpoint> {
  if (!projection.reset) throw new ProjectionNotRebuildableError(projection.name);
  const now = (options.clock ?? systemClock).now();
  return inTransaction(pool, async (tx) => {
    const current = await lockCheckpoint(tx, projection.name, now);
    await projection.reset!(tx);
    await tx.query('DELETE FROM parked_events WHERE projection = $1', [projection.name]);
    await tx.query(
      'UPDATE projection_checkpoints SET position = 0, generation = generation + 1, updated_at = $2 WHERE name = $1',
      [projection.name, now],
    );
    return { position: 0n, generation: current.generation + 1, owner: current.owner };
  });
}
