import type { Pool } from 'pg';
import { migrate, type Migration } from './migrations';

/**
 * Positions: `global_position = (xid << 16) + ordinal within the append`, so the log order is
 * the order in which transactions took their ids, and `global_position < event_store_horizon()`
 * (the oldest xid that may still commit here, shifted) marks the prefix of the log that can no
 * longer change.
 * See postgres-event-store.ts for why.
 *
 * Indexes are kept lean for write speed: the primary key (catch-up reads), event id
 * (idempotency), stream + version (stream reads, and a guard against two writers racing past
 * the `streams` row lock), and category + position (filtered readers). Event-type-only filters
 * walk the primary key.
 */
export const eventStoreMigrations: Migration[] = [
  {
    id: '001_events',
    sql: `
CREATE TABLE streams (
  stream_id text PRIMARY KEY,
  category text NOT NULL,
  version integer NOT NULL
);

CREATE TABLE events (
  global_position bigint PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  event_id uuid NOT NULL,
  stream_id text NOT NULL,
  stream_version integer NOT NULL,
  category text NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_category_position_idx ON events (category, global_position);

-- One append = one call = one (implicit) transaction. p_expected: NULL = any, otherwise the
-- exact number of events the stream must hold (0 = no stream). Outcomes:
--   appended       o_version = new stream version, o_position = position of the last event
--   duplicate      the version moved and the first event id is stored: the caller resolves the retry
--   wrong_version  o_version = the stream's actual version
CREATE FUNCTION event_store_append(p_stream_id text, p_category text, p_expected integer, p_events jsonb)
RETURNS TABLE (o_outcome text, o_version integer, o_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_first uuid := (p_events->0->>'id')::uuid;
  v_version integer;
  v_xid xid8;
  v_base bigint;
BEGIN
  -- No up-front look for the event ids: a retry either finds the version moved (below) or
  -- fails on events_event_id_key, and the caller then resolves it; first appends pay nothing.

  -- The streams row is the per-stream lock: concurrent writers to one stream queue here and
  -- each re-checks the version the previous one left.
  IF p_expected IS NULL THEN
    INSERT INTO streams AS s (stream_id, category, version) VALUES (p_stream_id, p_category, v_count)
    ON CONFLICT (stream_id) DO UPDATE SET version = s.version + v_count
    RETURNING s.version INTO v_version;
  ELSIF p_expected = 0 THEN
    INSERT INTO streams AS s (stream_id, category, version) VALUES (p_stream_id, p_category, v_count)
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING s.version INTO v_version;
  ELSE
    UPDATE streams s SET version = s.version + v_count
    WHERE s.stream_id = p_stream_id AND s.version = p_expected
    RETURNING s.version INTO v_version;
  END IF;

  IF v_version IS NULL THEN
    -- Stale, or a concurrent copy of this very append got there first (this statement sees
    -- what committed while we waited for the row lock).
    PERFORM 1 FROM events e WHERE e.event_id = v_first;
    IF FOUND THEN
      RETURN QUERY SELECT 'duplicate'::text, NULL::integer, NULL::bigint;
      RETURN;
    END IF;
    RETURN QUERY SELECT 'wrong_version'::text,
      coalesce((SELECT s.version FROM streams s WHERE s.stream_id = p_stream_id), 0), NULL::bigint;
    RETURN;
  END IF;

  v_xid := pg_current_xact_id();
  v_base := v_xid::text::bigint << 16;
  INSERT INTO events (global_position, transaction_id, event_id, stream_id, stream_version, category,
                      type, schema_version, data, metadata)
  SELECT v_base + t.ord, v_xid, (t.e->>'id')::uuid, p_stream_id, v_version - v_count + t.ord::integer,
         p_category, t.e->>'type', (t.e->>'schemaVersion')::integer, t.e->'data', t.e->'metadata'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, ord);

  RETURN QUERY SELECT 'appended'::text, v_version, v_base + v_count;
END
$fn$;
`,
  },
  {
    id: '002_horizon',
    sql: `
-- The position below which the log can no longer change, as seen by the calling statement's
-- snapshot: every xid below pg_snapshot_xmax is finished except those in pg_snapshot_xip, so
-- the oldest of those bounds what may still commit. Transactions that pg_stat_activity shows
-- running in another database cannot write this table and do not hold readers back. A running
-- xid it cannot place (ended a moment ago, subtransaction, prepared transaction, a session
-- hidden from this role) counts as blocking: lag, never loss.
CREATE FUNCTION event_store_horizon() RETURNS bigint
LANGUAGE sql STABLE AS $fn$
  WITH s AS (SELECT pg_current_snapshot() AS snap)
  SELECT coalesce(
    (SELECT min(x) FROM s, pg_snapshot_xip(s.snap) AS x
      WHERE xid(x) NOT IN (
        SELECT a.backend_xid FROM pg_stat_activity a
        WHERE a.backend_xid IS NOT NULL
          AND a.datid <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))),
    (SELECT pg_snapshot_xmax(s.snap) FROM s)
  )::text::bigint << 16
$fn$;
`,
  },
  {
    id: '003_xid_offset',
    sql: `
-- Positions come from transaction ids, which belong to the cluster: a dump restored into
-- another cluster (or a logical-replication upgrade) starts from lower xids, and new events
-- would sort before old ones. Positions therefore use xid + offset; event_store_rebase(), run by
-- migrateEventStore at every start, raises the offset when the log is ahead of the xids.
-- IMMUTABLE so it is folded into plans (free per append); the rebase replaces it.
CREATE FUNCTION event_store_xid_offset() RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT 0::bigint';

CREATE OR REPLACE FUNCTION event_store_append(p_stream_id text, p_category text, p_expected integer, p_events jsonb)
RETURNS TABLE (o_outcome text, o_version integer, o_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_first uuid := (p_events->0->>'id')::uuid;
  v_version integer;
  v_xid xid8;
  v_base bigint;
BEGIN
  -- No up-front look for the event ids: a retry either finds the version moved (below) or
  -- fails on events_event_id_key, and the caller then resolves it; first appends pay nothing.

  -- The streams row is the per-stream lock: concurrent writers to one stream queue here and
  -- each re-checks the version the previous one left.
  IF p_expected IS NULL THEN
    INSERT INTO streams AS s (stream_id, category, version) VALUES (p_stream_id, p_category, v_count)
    ON CONFLICT (stream_id) DO UPDATE SET version = s.version + v_count
    RETURNING s.version INTO v_version;
  ELSIF p_expected = 0 THEN
    INSERT INTO streams AS s (stream_id, category, version) VALUES (p_stream_id, p_category, v_count)
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING s.version INTO v_version;
  ELSE
    UPDATE streams s SET version = s.version + v_count
    WHERE s.stream_id = p_stream_id AND s.version = p_expected
    RETURNING s.version INTO v_version;
  END IF;

  IF v_version IS NULL THEN
    -- Stale, or a concurrent copy of this very append got there first (this statement sees
    -- what committed while we waited for the row lock).
    PERFORM 1 FROM events e WHERE e.event_id = v_first;
    IF FOUND THEN
      RETURN QUERY SELECT 'duplicate'::text, NULL::integer, NULL::bigint;
      RETURN;
    END IF;
    RETURN QUERY SELECT 'wrong_version'::text,
      coalesce((SELECT s.version FROM streams s WHERE s.stream_id = p_stream_id), 0), NULL::bigint;
    RETURN;
  END IF;

  v_xid := pg_current_xact_id();
  v_base := (v_xid::text::bigint + event_store_xid_offset()) << 16;
  INSERT INTO events (global_position, transaction_id, event_id, stream_id, stream_version, category,
                      type, schema_version, data, metadata)
  SELECT v_base + t.ord, v_xid, (t.e->>'id')::uuid, p_stream_id, v_version - v_count + t.ord::integer,
         p_category, t.e->>'type', (t.e->>'schemaVersion')::integer, t.e->'data', t.e->'metadata'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, ord);

  RETURN QUERY SELECT 'appended'::text, v_version, v_base + v_count;
END
$fn$;

CREATE OR REPLACE FUNCTION event_store_horizon() RETURNS bigint
LANGUAGE sql STABLE AS $fn$
  WITH s AS (SELECT pg_current_snapshot() AS snap)
  SELECT (coalesce(
    (SELECT min(x) FROM s, pg_snapshot_xip(s.snap) AS x
      WHERE xid(x) NOT IN (
        SELECT a.backend_xid FROM pg_stat_activity a
        WHERE a.backend_xid IS NOT NULL
          AND a.datid <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))),
    (SELECT pg_snapshot_xmax(s.snap) FROM s)
  )::text::bigint + event_store_xid_offset()) << 16
$fn$;

CREATE FUNCTION event_store_rebase() RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
  v_offset bigint := event_store_xid_offset();
  v_last bigint;
  v_next bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('event-store:rebase'));
  SELECT max(global_position) >> 16 INTO v_last FROM events;
  -- Every transaction that starts after this one gets a larger xid than ours.
  v_next := pg_current_xact_id()::text::bigint + v_offset;
  IF v_last IS NOT NULL AND v_last >= v_next THEN
    v_offset := v_offset + (v_last - v_next) + 1;
    EXECUTE format('CREATE OR REPLACE FUNCTION event_store_xid_offset() RETURNS bigint LANGUAGE sql IMMUTABLE AS %L',
                   'SELECT ' || v_offset || '::bigint');
  END IF;
  RETURN v_offset;
END
$fn$;
`,
  },
  {
    id: '004_appends_share_a_transaction',
    sql: `
CREATE OR REPLACE FUNCTION event_store_append(p_stream_id text, p_category text, p_expected integer, p_events jsonb)
RETURNS TABLE (o_outcome text, o_version integer, o_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_first uuid := (p_events->0->>'id')::uuid;
  v_version integer;
  v_xid xid8;
  v_base bigint;
  v_used bigint;
BEGIN
  -- No up-front look for the event ids: a retry either finds the version moved (below) or
  -- fails on events_event_id_key, and the caller then resolves it; first appends pay nothing.

  -- The streams row is the per-stream lock: concurrent writers to one stream queue here and
  -- each re-checks the version the previous one left.
  IF p_expected IS NULL THEN
    INSERT INTO streams AS s (stream_id, category, version) VALUES (p_stream_id, p_category, v_count)
    ON CONFLICT (stream_id) DO UPDATE SET version = s.version + v_count
    RETURNING s.version INTO v_version;
  ELSIF p_expected = 0 THEN
    INSERT INTO streams AS s (stream_id, category, version) VALUES (p_stream_id, p_category, v_count)
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING s.version INTO v_version;
  ELSE
    UPDATE streams s SET version = s.version + v_count
    WHERE s.stream_id = p_stream_id AND s.version = p_expected
    RETURNING s.version INTO v_version;
  END IF;

  IF v_version IS NULL THEN
    -- Stale, or a concurrent copy of this very append got there first (this statement sees
    -- what committed while we waited for the row lock).
    PERFORM 1 FROM events e WHERE e.event_id = v_first;
    IF FOUND THEN
      RETURN QUERY SELECT 'duplicate'::text, NULL::integer, NULL::bigint;
      RETURN;
    END IF;
    RETURN QUERY SELECT 'wrong_version'::text,
      coalesce((SELECT s.version FROM streams s WHERE s.stream_id = p_stream_id), 0), NULL::bigint;
    RETURN;
  END IF;

  v_xid := pg_current_xact_id();
  v_base := (v_xid::text::bigint + event_store_xid_offset()) << 16;
  -- Several appends in one transaction (appendInTransaction) share its xid: each continues
  -- after the positions the previous ones took (one backward probe of the primary key).
  SELECT coalesce(max(e.global_position) - v_base, 0) INTO v_used FROM events e
  WHERE e.global_position > v_base AND e.global_position < v_base + 65536;
  IF v_used + v_count >= 65536 THEN
    RAISE EXCEPTION 'a transaction appends at most 65535 events (positions are xid << 16 + ordinal)';
  END IF;
  v_base := v_base + v_used;
  INSERT INTO events (global_position, transaction_id, event_id, stream_id, stream_version, category,
                      type, schema_version, data, metadata)
  SELECT v_base + t.ord, v_xid, (t.e->>'id')::uuid, p_stream_id, v_version - v_count + t.ord::integer,
         p_category, t.e->>'type', (t.e->>'schemaVersion')::integer, t.e->'data', t.e->'metadata'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, ord);

  RETURN QUERY SELECT 'appended'::text, v_version, v_base + v_count;
END
$fn$;
`,
  },
];

/**
 * Creates or upgrades the event store's tables (module `event-store` in schema_migrations) and
 * re-bases positions if the database was restored into a cluster with lower transaction ids.
 * Run it at start-up, before appending.
 */
export async function migrateEventStore(pool: Pool): Promise<string[]> {
  const applied = await migrate(pool, 'event-store', eventStoreMigrations);
  // After a restore into another cluster: keep new positions above the stored ones.
  await pool.query('SELECT event_store_rebase()');
  return applied;
}
