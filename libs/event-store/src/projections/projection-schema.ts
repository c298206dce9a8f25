import type { Pool } from 'pg';
import { migrate, type Migration } from '../postgres/migrations';

/**
 * Checkpoints, the lease's fencing token and parked events, all keyed by projection name.
 * The read models themselves live in their services' own tables.
 */
export const projectionMigrations: Migration[] = [
  {
    id: '001_checkpoints_and_parked_events',
    sql: `
      CREATE TABLE projection_checkpoints (
        name        text PRIMARY KEY,
        -- Continue reading the log strictly after this position.
        position    bigint NOT NULL DEFAULT 0 CHECK (position >= 0),
        -- Bumped by every rebuild, so a runner holding an older view notices and starts over.
        generation  integer NOT NULL DEFAULT 0,
        -- Runner id of the current lease holder (fencing token: batches commit only while it matches).
        owner       text,
        owner_since timestamptz,
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE parked_events (
        projection      text NOT NULL,
        event_id        text NOT NULL,
        global_position bigint NOT NULL,
        stream_id       text NOT NULL,
        stream_version  integer NOT NULL,
        event_type      text NOT NULL,
        attempts        integer NOT NULL,
        last_error      text NOT NULL,
        parked_at       timestamptz NOT NULL,
        last_attempt_at timestamptz NOT NULL,
        PRIMARY KEY (projection, event_id)
      );
      CREATE INDEX parked_events_by_position ON parked_events (projection, global_position);
    `,
  },
];

export function migrateProjections(pool: Pool): Promise<string[]> {
  return migrate(pool, 'projections', projectionMigrations);
}
