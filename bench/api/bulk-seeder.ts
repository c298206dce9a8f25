import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import {
  PersonalDataPolicy,
  productPersonalData,
  ProtectedEventStore,
  type AppendOptions,
  type AppendResult,
  type DataKeyState,
  type DataKeyStore,
  type EventStore,
  type NewEvent,
} from '@platform/event-store';

/**
 * Seeds many customer streams fast. Appending 200,000 streams one transaction each (what the
 * store's `append` does) takes minutes on PGlite, so the seeder lets the real
 * `ProtectedEventStore` prepare every append (personal fields encrypted under a per-customer
 * data key, `encryptedFields` metadata), captures the results, and writes a whole batch of
 * streams in ONE transaction with the same rows `event_store_append` writes: positions
 * `((xid + offset) << 16) + ordinal` (at most 65,535 events per transaction), `streams` rows
 * with the versions, data keys in the unwrapped format of PostgresDataKeyStore (the bench runs
 * without DATA_KEY_MASTER_KEY). Readers (projections, history) then read them like any other
 * events; a mismatch shows up as parked projection events, which the bench checks.
 */
export const MAX_EVENTS_PER_TRANSACTION = 65_535;

class CapturingEventStore implements EventStore {
  captured: Array<{ streamId: string; events: NewEvent[] }> = [];

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (options.expectedVersion !== 'no_stream') throw new Error('the seeder only creates new streams');
    this.captured.push({ streamId, events });
    return { nextExpectedVersion: events.length, lastGlobalPosition: 0n };
  }
  readStream(): never {
    throw new Error('write-only');
  }
  streamVersion(): never {
    throw new Error('write-only');
  }
  readAll(): never {
    throw new Error('write-only');
  }
  waitForAppend(): never {
    throw new Error('write-only');
  }
  headPosition(): never {
    throw new Error('write-only');
  }
  async close(): Promise<void> {}
}

/** New keys held in memory until the batch's transaction writes them. */
class PendingDataKeys implements DataKeyStore {
  pending = new Map<string, Buffer>();

  async getOrCreate(subjectId: string): Promise<Buffer> {
    let key = this.pending.get(subjectId);
    if (!key) this.pending.set(subjectId, (key = randomBytes(32)));
    return key;
  }
  async getMany(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    const out = new Map<string, DataKeyState>();
    for (const id of subjectIds) {
      const key = this.pending.get(id);
      if (key) out.set(id, { status: 'active', key });
    }
    return out;
  }
  shred(): never {
    throw new Error('the seeder never shreds');
  }
}

export class BulkSeeder {
  constructor(private readonly pool: Pool) {}

  /** Writes every given stream (new streams only) in one transaction; returns the last position. */
  async appendStreams(streams: Array<{ streamId: string; events: NewEvent[] }>): Promise<bigint> {
    const capture = new CapturingEventStore();
    const keys = new PendingDataKeys();
    const store = new ProtectedEventStore(capture, { keys, policy: new PersonalDataPolicy(productPersonalData) });
    for (const s of streams) await store.append(s.streamId, s.events, { expectedVersion: 'no_stream' });

    const rows: unknown[] = [];
    for (const { streamId, events } of capture.captured) {
      events.forEach((e, i) =>
        rows.push({ s: streamId, v: i + 1, id: e.id, type: e.type, sv: e.schemaVersion, data: e.data, metadata: e.metadata }),
      );
    }
    if (rows.length > MAX_EVENTS_PER_TRANSACTION) throw new Error(`batch of ${rows.length} events is too large for one transaction`);

    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO data_keys (subject_id, key) SELECT * FROM unnest($1::text[], $2::bytea[])`,
        [[...keys.pending.keys()], [...keys.pending.values()].map((k) => Buffer.concat([Buffer.from([0]), k]))],
      );
      await client.query(`INSERT INTO streams (stream_id, category, version) SELECT s, split_part(s, '-', 1), v FROM unnest($1::text[], $2::int[]) AS t(s, v)`, [
        capture.captured.map((c) => c.streamId),
        capture.captured.map((c) => c.events.length),
      ]);
      const { rows: last } = await client.query<{ position: string }>(
        `WITH x AS (SELECT pg_current_xact_id() AS xid),
              ins AS (
                INSERT INTO events (global_position, transaction_id, event_id, stream_id, stream_version, category,
                                    type, schema_version, data, metadata)
                SELECT ((x.xid::text::bigint + event_store_xid_offset()) << 16) + t.ord, x.xid, (t.e->>'id')::uuid,
                       t.e->>'s', (t.e->>'v')::int, split_part(t.e->>'s', '-', 1), t.e->>'type', (t.e->>'sv')::int,
                       t.e->'data', t.e->'metadata'
                FROM x, jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, ord)
                RETURNING global_position)
         SELECT max(global_position)::text AS position FROM ins`,
        [JSON.stringify(rows)],
      );
      await client.query('COMMIT');
      const position = BigInt(last[0].position);
      // Wakes the projection runners now rather than at their poll timeout.
      await client.query('SELECT pg_notify($1, $2)', ['event_store_appended', position.toString()]);
      return position;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}
