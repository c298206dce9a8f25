import { uuidv7 } from '@platform/core';
import { createTestDatabase, requireRealPostgres, type TestDatabase } from '@platform/testing';
import type { Pool, PoolClient } from 'pg';
import type { NewEvent, RecordedEvent } from '../port/event';
import type { LogFilter } from '../port/event-store.port';
import { migrateEventStore } from '../postgres/event-store-schema';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { discardParked, listParked, retryParked } from './parked-events';
import type { Projection } from './projection';
import { ProjectionNotRebuildableError, rebuildProjection } from './projection-checkpoints';
import { ProjectionRegistry } from './projection-registry';
import { ProjectionRunner, type ProjectionLogger, type ProjectionRunnerOptions } from './projection-runner';
import { migrateProjections } from './projection-schema';

const quiet: ProjectionLogger = process.env.DEBUG_PROJECTIONS ? { info: (m, c) => console.log(m, c), warn: (m, c) => console.log(m, c), error: (m, c) => console.log(m, c) } : { info: () => undefined, warn: () => undefined, error: () => undefined };
const fast: ProjectionRunnerOptions = {
  batchSize: 4,
  maxAttempts: 3,
  backoff: { initialMs: 5, maxMs: 20, jitter: 0 },
  idleWaitMs: 100,
  lockRetryMs: 30,
  logger: quiet,
};

/** Polls until `check` returns true; fails with `what` after a bound (never asserts on time). */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const unresolved = new Set<() => void>();
/** A promise to block a handler on; afterEach releases the ones a failed test left closed. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  unresolved.add(resolve);
  return { promise, resolve };
}

const newEvent = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  id: uuidv7(),
  type,
  schemaVersion: 1,
  data,
  metadata: {
    partnerId: 'partner-1',
    occurredAt: new Date(0).toISOString(),
    correlationId: uuidv7(),
    actor: { type: 'system', id: 'test' },
  },
});

interface CountingOptions {
  filter?: LogFilter;
  /** Called inside the transaction after this batch's writes (throw to fail the batch). */
  afterWrites?: (events: RecordedEvent[], tx: PoolClient) => Promise<void>;
  /** Tag stored with each applied event (which runner applied it). */
  tag?: string;
}

/**
 * The read model under test: events per stream, plus one row per application of an event so a
 * double application shows as a duplicate (no unique key on purpose).
 */
function countingProjection(name: string, o: CountingOptions = {}): Projection {
  return {
    name,
    filter: o.filter,
    async handle(events, tx) {
      for (const e of events) {
        await tx.query(
          `INSERT INTO read_counts (projection, stream_id, n) VALUES ($1, $2, 1)
           ON CONFLICT (projection, stream_id) DO UPDATE SET n = read_counts.n + 1`,
          [name, e.streamId],
        );
        await tx.query('INSERT INTO read_applied (projection, event_id, tag) VALUES ($1, $2, $3)', [
          name,
          e.id,
          o.tag ?? '',
        ]);
      }
      await o.afterWrites?.(events, tx);
    },
    async reset(tx) {
      await tx.query('DELETE FROM read_counts WHERE projection = $1', [name]);
      await tx.query('DELETE FROM read_applied WHERE projection = $1', [name]);
    },
  };
}

describe('ProjectionRunner (PostgreSQL store)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let admin: Pool;
  let store: PostgresEventStore;
  let runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    admin = db.pool({ max: 2 });
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await pool.query(`CREATE TABLE read_counts (projection text, stream_id text, n int NOT NULL, PRIMARY KEY (projection, stream_id));
      CREATE TABLE read_applied (projection text NOT NULL, event_id text NOT NULL, tag text NOT NULL)`);
    store = new PostgresEventStore(pool);
  });
  afterEach(async () => {
    for (const release of unresolved) release();
    unresolved.clear();
    await Promise.all(runners.map((r) => r.stop()));
    runners = [];
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
  });

  const runner = (projection: Projection, options: ProjectionRunnerOptions = {}) => {
    const r = new ProjectionRunner({ pool, store, projection, options: { ...fast, ...options } });
    runners.push(r);
    return r;
  };

  /** Appends `perStream` events to each stream `<category>-<n>`; returns the last position. */
  async function appendTo(category: string, streams: number, perStream: number, type = 'Counted'): Promise<bigint> {
    let last = 0n;
    for (let s = 0; s < streams; s++) {
      for (let i = 0; i < perStream; i++) {
        const r = await store.append(`${category}-${s}`, [newEvent(type, { i })], { expectedVersion: 'any' });
        last = r.lastGlobalPosition;
      }
    }
    return last;
  }

  /** The read model the projection must hold: matching events per stream, straight from the store. */
  async function expectedCounts(filter?: LogFilter): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const { events } = await store.readAll({ maxCount: 100_000, filter });
    for (const e of events) counts[e.streamId] = (counts[e.streamId] ?? 0) + 1;
    return counts;
  }

  async function actualCounts(name: string): Promise<Record<string, number>> {
    const { rows } = await pool.query<{ stream_id: string; n: number }>(
      'SELECT stream_id, n FROM read_counts WHERE projection = $1',
      [name],
    );
    return Object.fromEntries(rows.map((r) => [r.stream_id, r.n]));
  }

  async function duplicates(name: string): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT event_id FROM read_applied WHERE projection = $1
       GROUP BY event_id HAVING count(*) > 1) d`,
      [name],
    );
    return rows[0].n;
  }

  const caughtUp = (r: ProjectionRunner, position: bigint) => () => {
    const s = r.status();
    return s.state === 'live' && s.position >= position && s.lag === 0n;
  };

  it('catches up in batches, then follows appends live; lag reaches 0', async () => {
    const name = `catchup-${uuidv7()}`;
    const firstEnd = await appendTo('cu', 3, 5);
    const r = runner(countingProjection(name));
    expect(r.status().state).toBe('stopped');
    r.start();
    await eventually('caught up', caughtUp(r, firstEnd));
    expect(await actualCounts(name)).toEqual(await expectedCounts());

    const liveEnd = await appendTo('cu', 4, 2);
    await eventually('live appends applied', caughtUp(r, liveEnd));
    expect(await actualCounts(name)).toEqual(await expectedCounts());
    expect(await duplicates(name)).toBe(0);
    const s = r.status();
    expect(s).toMatchObject({ name, state: 'live', parkedCount: 0, lastError: null, lagMs: 0 });
    expect(s.headPosition).toBeGreaterThanOrEqual(liveEnd);
    expect(s.lastProcessedAt).toBeInstanceOf(Date);

    await r.stop();
    expect(r.status().state).toBe('stopped');
    const { rows } = await pool.query('SELECT position::text, owner FROM projection_checkpoints WHERE name = $1', [name]);
    expect(BigInt(rows[0].position)).toBe(s.position);
    expect(rows[0].owner).toBeNull(); // lease released on stop
  });

  it('resumes from its checkpoint after a restart instead of from 0', async () => {
    const name = `restart-${uuidv7()}`;
    const end = await appendTo('rs', 2, 3);
    const first = runner(countingProjection(name, { tag: 'first' }));
    first.start();
    await eventually('first run caught up', caughtUp(first, end));
    await first.stop();

    const end2 = await appendTo('rs', 1, 2);
    const second = runner(countingProjection(name, { tag: 'second' }));
    second.start();
    await eventually('second run caught up', caughtUp(second, end2));
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM read_applied WHERE projection = $1 AND tag = 'second'`,
      [name],
    );
    expect(rows[0].n).toBe(2);
    expect(await actualCounts(name)).toEqual(await expectedCounts());
  });

  it('rolls back the effects with the failed transaction: a failure after the writes counts nothing twice', async () => {
    const name = `atomic-${uuidv7()}`;
    const end = await appendTo('at', 3, 4);
    let failuresLeft = 3;
    const r = runner(
      countingProjection(name, {
        // Writes are done, the checkpoint update has not run: the "crash" point.
        afterWrites: async () => {
          if (failuresLeft > 0) {
            failuresLeft--;
            throw new Error('crash after handle');
          }
        },
      }),
    );
    r.start();
    await eventually('caught up', caughtUp(r, end));
    expect(failuresLeft).toBe(0);
    expect(await actualCounts(name)).toEqual(await expectedCounts());
    expect(await duplicates(name)).toBe(0);
    expect(r.status().parkedCount).toBe(0);
    expect(r.status().lastError?.message).toBe('crash after handle');
  });

  it('runs effects that cannot join the transaction before the checkpoint moves, again after a failure', async () => {
    const name = `effects-${uuidv7()}`;
    const end = await appendTo('ef', 2, 3);
    const effects: string[] = [];
    let failuresLeft = 1;
    const counting = countingProjection(name, { filter: { categories: ['ef'] } });
    const r = runner({
      ...counting,
      async beforeCheckpoint(events) {
        effects.push(...events.map((e) => e.id));
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('effect failed');
        }
      },
    });
    r.start();
    await eventually('caught up', caughtUp(r, end));
    const ids = (await store.readAll({ maxCount: 100_000 })).events.filter((e) => e.streamId.startsWith('ef-')).map((e) => e.id);
    // Every event's effect ran; the failed batch's ran again (at least once each, never skipped).
    expect(new Set(effects)).toEqual(new Set(ids));
    expect(effects.length).toBeGreaterThan(ids.length);
    expect(await actualCounts(name)).toEqual(await expectedCounts({ categories: ['ef'] }));
    expect(await duplicates(name)).toBe(0);
  });

  it('survives its transaction connection being killed mid-batch, and a crash of the whole runner', async () => {
    if (!(await requireRealPostgres('projection runner: killed connections'))) return;
    const name = `killed-${uuidv7()}`;
    const end = await appendTo('kl', 2, 6);
    const inBatch = deferred();
    const gate = deferred();
    let victim: number | undefined;
    let blockOnce = true;
    const blocking = countingProjection(name, {
      tag: 'a',
      afterWrites: async (_events, tx) => {
        if (!blockOnce) return;
        blockOnce = false;
        victim = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        inBatch.resolve();
        await gate.promise;
        await tx.query('SELECT 1'); // the connection is gone by now
      },
    });
    const a = runner(blocking);
    a.start();
    await inBatch.promise;
    await admin.query('SELECT pg_terminate_backend($1)', [victim]);
    gate.resolve();
    await eventually('recovered after the killed connection', caughtUp(a, end));
    expect(await actualCounts(name)).toEqual(await expectedCounts());
    expect(await duplicates(name)).toBe(0);

    await a.stop();

    // Now a whole runner "crashes" mid-batch: its transaction and lock connections die at once.
    const end2 = await appendTo('kl', 2, 3);
    const inBatch2 = deferred();
    const gate2 = deferred();
    const crashing = runner(
      countingProjection(name, {
        tag: 'crashed',
        afterWrites: async (_events, tx) => {
          victim = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
          inBatch2.resolve();
          await gate2.promise;
          await tx.query('SELECT 1');
        },
      }),
    );
    crashing.start();
    await inBatch2.promise;
    const { rows: lock } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [`projection-lock:${name}`],
    );
    expect(lock).toHaveLength(1);
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [[victim, lock[0].pid]]);
    const stopped = crashing.stop(); // the process is gone: it must not come back for the lock
    gate2.resolve();
    await stopped;
    const { rows: crashed } = await pool.query(`SELECT 1 FROM read_applied WHERE projection = $1 AND tag = 'crashed'`, [
      name,
    ]);
    expect(crashed).toHaveLength(0);

    // The "restarted process".
    const restarted = runner(countingProjection(name, { tag: 'restarted' }));
    restarted.start();
    await eventually('restarted runner caught up', caughtUp(restarted, end2));
    expect(await actualCounts(name)).toEqual(await expectedCounts());
    expect(await duplicates(name)).toBe(0);
  });

  it('parks a poison event after maxAttempts with its error, processes the rest, and re-applies it on retry', async () => {
    const name = `poison-${uuidv7()}`;
    await appendTo('ps', 2, 3);
    const poison = newEvent('Poison');
    await store.append('ps-0', [poison], { expectedVersion: 'any' });
    const end = await appendTo('ps', 2, 3);
    let fixed = false;
    const projection = countingProjection(name, {
      afterWrites: async (events) => {
        if (!fixed && events.some((e) => e.type === 'Poison')) throw new Error('cannot handle Poison');
      },
    });
    const r = runner(projection);
    r.start();
    await eventually('caught up past the poison event', caughtUp(r, end));

    const parked = await listParked(pool, name);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ projection: name, eventId: poison.id, type: 'Poison', streamId: 'ps-0', attempts: 3 });
    expect(parked[0].lastError).toContain('cannot handle Poison');
    expect(r.status()).toMatchObject({ parkedCount: 1, lastError: { message: 'cannot handle Poison', eventId: poison.id } });
    const withoutPoison = await expectedCounts();
    withoutPoison['ps-0'] -= 1;
    expect(await actualCounts(name)).toEqual(withoutPoison);
    expect((await listParked(pool)).map((p) => p.eventId)).toContain(poison.id);

    // Still broken: the retry fails, the event stays parked with one more attempt.
    const stillBroken = await retryParked({ pool, store, projection });
    expect(stillBroken).toEqual({ succeeded: [], failed: [{ eventId: poison.id, error: 'cannot handle Poison' }] });
    expect((await listParked(pool, name))[0].attempts).toBe(4);

    fixed = true;
    expect(await retryParked({ pool, store, projection }, [poison.id])).toEqual({ succeeded: [poison.id], failed: [] });
    expect(await listParked(pool, name)).toEqual([]);
    expect(await actualCounts(name)).toEqual(await expectedCounts());
    expect(await duplicates(name)).toBe(0);
    await eventually('status shows no parked events', () => r.status().parkedCount === 0);
  });

  it('discards a parked event on request', async () => {
    const name = `discard-${uuidv7()}`;
    const bad = newEvent('Poison');
    const { lastGlobalPosition } = await store.append('dc-0', [bad], { expectedVersion: 'any' });
    const r = runner(
      countingProjection(name, {
        filter: { categories: ['dc'] },
        afterWrites: async () => {
          throw new Error('always fails');
        },
      }),
      { maxAttempts: 1 },
    );
    r.start();
    await eventually('parked', caughtUp(r, lastGlobalPosition));
    expect((await listParked(pool, name)).map((p) => [p.eventId, p.attempts])).toEqual([[bad.id, 1]]);
    expect(await discardParked(pool, name, bad.id)).toBe(true);
    expect(await discardParked(pool, name, bad.id)).toBe(false);
    expect(await listParked(pool, name)).toEqual([]);
  });

  it('runs one runner per projection: the other waits and takes over when the first stops', async () => {
    const name = `pair-${uuidv7()}`;
    const a = runner(countingProjection(name, { tag: 'a' }));
    const b = runner(countingProjection(name, { tag: 'b' }));
    a.start();
    await eventually('a holds the lease', () => a.status().state === 'live');
    b.start();
    const end = await appendTo('pr', 3, 3);
    await eventually('a caught up', caughtUp(a, end));
    await eventually('b observed the checkpoint', () => b.status().position >= end);
    expect(b.status().state).toBe('waiting-for-lock');
    expect(b.status().lagMs).toBeNull();
    const tags = async () =>
      (
        await pool.query<{ tag: string; n: number }>(
          'SELECT tag, count(*)::int AS n FROM read_applied WHERE projection = $1 GROUP BY tag ORDER BY tag',
          [name],
        )
      ).rows;
    expect(await tags()).toEqual([{ tag: 'a', n: (await store.readAll({ maxCount: 100_000 })).events.length }]);

    await a.stop();
    await eventually('b took over', () => b.status().state === 'live');
    const end2 = await appendTo('pr', 1, 2);
    await eventually('b caught up', caughtUp(b, end2));
    expect((await tags()).find((t) => t.tag === 'b')?.n).toBe(2);
    expect(await actualCounts(name)).toEqual(await expectedCounts());
    expect(await duplicates(name)).toBe(0);
  });

  it('takes over when the lease holder dies (lock connection closed); the old holder commits nothing more', async () => {
    if (!(await requireRealPostgres('projection runner: lease takeover on connection loss'))) return;
    const name = `takeover-${uuidv7()}`;
    const inBatch = deferred();
    const gate = deferred();
    // a retries the lock only after a minute, so b is the one that takes over.
    const a = runner(
      countingProjection(name, {
        tag: 'a',
        filter: { categories: ['to'] },
        afterWrites: async () => {
          inBatch.resolve();
          await gate.promise;
        },
      }),
      { lockRetryMs: 60_000 },
    );
    a.start();
    await eventually('a holds the lease', () => a.status().state === 'live');
    const b = runner(countingProjection(name, { tag: 'b', filter: { categories: ['to'] } }));
    b.start();
    await eventually('b waits', () => b.status().state === 'waiting-for-lock');

    // While a is inside a batch transaction, its lock connection dies: that batch must not commit.
    const end = await appendTo('to', 1, 3);
    await inBatch.promise;
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [`projection-lock:${name}`],
    );
    await eventually('a noticed', () => /terminat|lock connection/i.test(a.status().lastError?.message ?? ''));
    gate.resolve();
    await eventually('b took over and caught up', caughtUp(b, end));
    expect(a.status().state).toBe('waiting-for-lock');
    const { rows } = await pool.query<{ tag: string }>('SELECT DISTINCT tag FROM read_applied WHERE projection = $1', [name]);
    expect(rows.map((r) => r.tag)).toEqual(['b']);
    const end2 = await appendTo('to', 2, 2);
    await eventually('b follows live', caughtUp(b, end2));
    expect(await actualCounts(name)).toEqual(await expectedCounts({ categories: ['to'] }));
    expect(await duplicates(name)).toBe(0);
  });

  it('rebuilds from 0 into the same read model, also when requested while another process holds the lease', async () => {
    const name = `rebuild-${uuidv7()}`;
    const projection = countingProjection(name);
    const end = await appendTo('rb', 3, 3);
    const holder = runner(projection);
    holder.start();
    await eventually('caught up', caughtUp(holder, end));
    const before = await actualCounts(name);
    expect(before).toEqual(await expectedCounts());

    // Corrupt the read model, then rebuild through another runner that does not hold the lease.
    await pool.query('UPDATE read_counts SET n = n + 100 WHERE projection = $1', [name]);
    const standby = runner(projection);
    standby.start();
    await eventually('standby waits', () => standby.status().state === 'waiting-for-lock');
    await standby.rebuild();
    await eventually('replayed from 0', async () => {
      const now = await actualCounts(name);
      return caughtUp(holder, end)() && Object.keys(before).every((k) => now[k] === before[k]);
    });
    expect(await actualCounts(name)).toEqual(before);
    expect(await duplicates(name)).toBe(0);
    const { rows } = await pool.query('SELECT generation FROM projection_checkpoints WHERE name = $1', [name]);
    expect(rows[0].generation).toBe(1);

    // The same through the function, with the holder itself stopped and restarted afterwards.
    await holder.stop();
    await standby.stop();
    await pool.query('UPDATE read_counts SET n = 0 WHERE projection = $1', [name]);
    await rebuildProjection(pool, projection);
    expect(await actualCounts(name)).toEqual({});
    await expect(rebuildProjection(pool, { name: `no-reset-${uuidv7()}`, handle: async () => undefined })).rejects.toThrow(
      ProjectionNotRebuildableError,
    );
    const fresh = runner(projection);
    fresh.start();
    await eventually('rebuilt again', caughtUp(fresh, end));
    expect(await actualCounts(name)).toEqual(await expectedCounts());
    expect(await duplicates(name)).toBe(0);
  });

  it('applies category and event-type filters and still moves its checkpoint past skipped events', async () => {
    const byCategory = `filter-cat-${uuidv7()}`;
    const byType = `filter-type-${uuidv7()}`;
    await appendTo('fa', 2, 2);
    await appendTo('fb', 2, 2, 'Renamed');
    const end = await appendTo('fc', 1, 3); // matches neither filter, and it comes last
    const cat = runner(countingProjection(byCategory, { filter: { categories: ['fa'] } }));
    const typ = runner(countingProjection(byType, { filter: { eventTypes: ['Renamed'] } }));
    cat.start();
    typ.start();
    await eventually('both caught up', () => caughtUp(cat, end)() && caughtUp(typ, end)());
    expect(await actualCounts(byCategory)).toEqual({ 'fa-0': 2, 'fa-1': 2 });
    expect(await actualCounts(byType)).toEqual({ 'fb-0': 2, 'fb-1': 2 });
    const { rows } = await pool.query<{ position: string }>(
      'SELECT position::text AS position FROM projection_checkpoints WHERE name = $1',
      [byCategory],
    );
    expect(BigInt(rows[0].position)).toBeGreaterThanOrEqual(end);
  });

  it('saves moves over other categories at most once per idleWaitMs, and commits its own events on top of unsaved ones', async () => {
    const name = `skips-${uuidv7()}`;
    let now = 1_000_000;
    const clock = { now: () => new Date(now) };
    const checkpoint = async () =>
      BigInt((await pool.query('SELECT position::text AS p FROM projection_checkpoints WHERE name = $1', [name])).rows[0].p);
    const r = runner(countingProjection(name, { filter: { categories: ['sa'] } }), { clock });
    r.start();
    const first = await appendTo('sb', 1, 1);
    await eventually('first skip read', () => r.status().readPosition >= first);
    await eventually('first skip saved', async () => (await checkpoint()) >= first);
    const second = await appendTo('sb', 1, 2);
    await eventually('second skip read', () => r.status().readPosition >= second);
    expect(await checkpoint()).toBeLessThan(second); // no time has passed: not saved
    const own = await appendTo('sa', 1, 1);
    await eventually('own event applied', async () => (await actualCounts(name))['sa-0'] === 1);
    expect(await checkpoint()).toBeGreaterThanOrEqual(own);
    now += fast.idleWaitMs!;
    const third = await appendTo('sb', 1, 1);
    await eventually('skip saved once idleWaitMs passed', async () => (await checkpoint()) >= third);
    const fourth = await appendTo('sb', 1, 1);
    await eventually('fourth skip read', () => r.status().readPosition >= fourth);
    expect(await checkpoint()).toBeLessThan(fourth);
    now += fast.idleWaitMs!; // nothing more is appended: the idle runner saves it on its own
    await eventually('skip saved while idle', async () => (await checkpoint()) >= fourth);
    expect(await duplicates(name)).toBe(0);
  });

  it('lists every runner status through the registry', async () => {
    const registry = new ProjectionRegistry<ProjectionRunner>();
    const one = registry.register(runner(countingProjection(`reg-1-${uuidv7()}`)));
    const two = registry.register(runner(countingProjection(`reg-2-${uuidv7()}`)));
    expect(() => registry.register(one)).toThrow(/already registered/);
    registry.startAll();
    await eventually('both live', () => registry.statuses().every((s) => s.state === 'live'));
    expect(registry.statuses().map((s) => s.name)).toEqual([one.name, two.name]);
    await registry.stopAll();
    expect(registry.statuses().map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });
});
