import type { Pool } from 'pg';
import { migrate, type Migration } from '@platform/event-store';

export const INBOX_MIGRATIONS: Migration[] = [
  {
    id: '001_inbox',
    sql: `
      CREATE TABLE IF NOT EXISTS inbox (
        consumer   text        NOT NULL,
        event_id   uuid        NOT NULL,
        event_type text        NOT NULL,
        topic      text        NOT NULL,
        partition  integer     NOT NULL,
        "offset"   text        NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      );
      -- Messages a handler kept failing on (or that could not be read): kept for a person to look
      -- at, so one bad message does not stop its partition. Keyed by position: an unreadable
      -- message has no event id.
      CREATE TABLE IF NOT EXISTS inbox_parked (
        consumer   text        NOT NULL,
        topic      text        NOT NULL,
        partition  integer     NOT NULL,
        "offset"   text        NOT NULL,
        event_id   uuid,
        event_type text,
        message_key text,
        headers    jsonb       NOT NULL,
        value      bytea,
        error      text        NOT NULL,
        attempts   integer     NOT NULL,
        parked_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, topic, partition, "offset")
      );`,
  },
];

/** Creates the inbox tables of the database this pool points at (idempotent, safe concurrently). */
export async function migrateInbox(pool: Pool): Promise<void> {
  await migrate(pool, 'inbox', INBOX_MIGRATIONS);
}
