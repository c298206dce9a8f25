import { uuidv7 } from '@platform/core';
import { createTestDatabase, requireRealPostgres, type TestDatabase } from '@platform/testing';
import { Client } from 'pg';
import type { NewEvent, RecordedEvent } from '../port/event';
import type { LogFilter } from '../port/event-store.port';
import { runAppend } from './append-sql';
import { migrateEventStore } from './event-store-schema';
import { PostgresEventStore } from './postgres-event-store';

/**
 * Catch-up readers against writers whose transactions interleave, driven step by step on
 * separate connections. Needs a real server: PGlite runs one transaction at a time.
 */
describe('PostgresEventStore: global order under interleaved transactions', () => {
  let real = false;
  let db: TestDatabase;
  let store: PostgresEventStore;
  const clients: Client[] = [];

  beforeAll(async () => {
    real = await requireRealPostgres('event store ordering tests');
    if (!real) return;
    db = await createTestDatabase();
    const pool = db.pool({ max: 12 });
    await migrateEventStore(pool);
    store = new PostgresEventStore(pool);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await store?.close();
    await db?.close();
  });

  async function connect(): Promise<Client> {
    const c = new Client({ connectionString: db.connectionString });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  }

  const event = (label: string): NewEvent => ({
    id: uuidv7(),
    type: 'Stepped',
    schemaVersion: 1,
    data: { label },
    metadata: { partnerId: 'p', occurredAt: new Date(0).toISOString(), correlationId: uuidv7(), actor: { type: 'system', id: 't' } },
  });

  /** A writer holding its transaction open between steps. */
  async function openWriter() {
    const c = await connect();
    await c.query('BEGIN');
    return {
      xid: async () => BigInt((await c.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0].x),
      append: async (streamId: string, events: NewEvent[]) => {
        const r = await runAppend(c, streamId, events, 'any');
        if (r.outcome !== 'appended') throw new Error(`unexpected ${r.outcome}`);
        return r.lastPosition;
      },
      commit: () => c.query('COMMIT'),
      rollback: () => c.query('ROLLBACK'),
    };
  }

  /** A catch-up reader that only ever continues from the `position` it was given. */
  function reader(filter?: LogFilter, maxCount = 3) {
    let position = 0n;
    const seen: RecordedEvent[] = [];
    return {
      seen,
      get position() {
        return position;
      },
      /** Reads until caught up; returns what this call delivered. */
      async drain(): Promise<RecordedEvent[]> {
        const delivered: RecordedEvent[] = [];
        for (;;) {
          const page = await store.readAll({ after: position, maxCount, filter });
          expect(page.position >= position).toBe(true);
          for (const e of page.events) expect(e.globalPosition > position).toBe(true);
          delivered.push(...page.events);
          position = page.position;
          if (page.isEnd) break;
        }
        seen.push(...delivered);
        return delivered;
      },
      /**
       * Drains until `count` events were seen in all. Unrelated transactions elsewhere on the
       * cluster can hold the safe horizon back for a moment (lag, never loss).
       */
      async drainUntil(count: number, counts: (e: RecordedEvent) => boolean = () => true): Promise<void> {
        const deadline = Date.now() + 20_000;
        const enough = () => seen.filter(counts).length >= count;
        while (!enough() && Date.now() < deadline) {
          await this.drain();
          if (!enough()) await store.waitForAppend(position, 50);
        }
      },
    };
  }

  const labels = (events: RecordedEvent[]) => events.map((e) => (e.data as { label: string }).label);

  function expectStrictlyIncreasing(events: RecordedEvent[]) {
    for (let i = 1; i < events.length; i++) expect(events[i].globalPosition > events[i - 1].globalPosition).toBe(true);
  }

  it('holds a fast commit back until the slower transaction that began before it commits, then delivers both once', async () => {
    if (!real) return;
    const cat = `slowfast${Date.now()}`;
    const r = reader({ categories: [cat] });
    const slow = await openWriter();
    const slowPosition = await slow.append(`${cat}-slow`, [event('slow')]);
    const fast = await store.append(`${cat}-fast`, [event('fast')], { expectedVersion: 'no_stream' });
    expect(fast.lastGlobalPosition > slowPosition).toBe(true);

    expect(await r.drain()).toEqual([]);
    expect(r.position < slowPosition).toBe(true);
    expect(await store.headPosition()).toBeLessThan(slowPosition);

    await slow.commit();
    await r.drainUntil(2);
    expect(labels(r.seen)).toEqual(['slow', 'fast']);
    expectStrictlyIncreasing(r.seen);
    expect(await r.drain()).toEqual([]);
  });

  it('continues past positions burnt by a rolled-back transaction', async () => {
    if (!real) return;
    const cat = `rollback${Date.now()}`;
    const r = reader({ categories: [cat] });
    const doomed = await openWriter();
    const burnt = await doomed.append(`${cat}-doomed`, [event('doomed-1'), event('doomed-2')]);
    await store.append(`${cat}-fast`, [event('fast')], { expectedVersion: 'no_stream' });
    expect(await r.drain()).toEqual([]);
    await doomed.rollback();
    await r.drainUntil(1);
    expect(labels(r.seen)).toEqual(['fast']);
    expect(r.seen[0].globalPosition > burnt).toBe(true);
    expect(await store.append(`${cat}-after`, [event('after')], { expectedVersion: 'no_stream' })).toBeDefined();
    await r.drainUntil(2);
    expect(labels(r.seen)).toEqual(['fast', 'after']);
  });

  it('delivers several interleaved slow and fast transactions each once, in position order', async () => {
    if (!real) return;
    const cat = `interleaved${Date.now()}`;
    const r = reader({ categories: [cat] }, 2);
    const all = reader(undefined, 2);
    const ours = (e: RecordedEvent) => e.streamId.startsWith(`${cat}-`);
    const s1 = await openWriter();
    await s1.append(`${cat}-s1`, [event('s1a'), event('s1b')]);
    await store.append(`${cat}-f1`, [event('f1')], { expectedVersion: 'no_stream' });
    const s2 = await openWriter();
    await s2.append(`${cat}-s2`, [event('s2')]);
    await store.append(`${cat}-f2`, [event('f2')], { expectedVersion: 'no_stream' });
    const s3 = await openWriter();
    await s3.append(`${cat}-s3`, [event('s3')]);

    await s2.commit(); // s1 still open: nothing after it may be delivered
    expect(await r.drain()).toEqual([]);
    await s1.commit(); // now everything up to s3 is final
    await r.drainUntil(5);
    expect(labels(r.seen)).toEqual(['s1a', 's1b', 'f1', 's2', 'f2']);
    await store.append(`${cat}-f3`, [event('f3')], { expectedVersion: 'no_stream' });
    expect(await r.drain()).toEqual([]);
    await s3.commit();
    await r.drainUntil(7);
    expect(labels(r.seen)).toEqual(['s1a', 's1b', 'f1', 's2', 'f2', 's3', 'f3']);
    expectStrictlyIncreasing(r.seen);

    await all.drainUntil(7, ours);
    expect(labels(all.seen.filter(ours))).toEqual(labels(r.seen));
    expectStrictlyIncreasing(all.seen);
  });

  it('does not lose the transaction with the higher id that appends first and commits last', async () => {
    if (!real) return;
    // With positions from a sequence: B takes xid 99, A takes xid 100 and position 5, B takes
    // position 6 and commits; a reader whose snapshot xmin is 100 returns 6 and checkpoints
    // it; A then commits 5 behind the checkpoint and is lost. Positions from xids order B
    // before A, whatever order they appended in.
    const cat = `xidorder${Date.now()}`;
    const r = reader({ categories: [cat] });
    const b = await openWriter();
    const xidB = await b.xid();
    const a = await openWriter();
    const xidA = await a.xid();
    expect(xidA > xidB).toBe(true);
    const positionA = await a.append(`${cat}-a`, [event('A')]);
    const positionB = await b.append(`${cat}-b`, [event('B')]);
    expect(positionB < positionA).toBe(true);
    await b.commit();

    await r.drainUntil(1);
    expect(labels(r.seen)).toEqual(['B']);
    expect(r.position < positionA).toBe(true);

    await a.commit();
    await r.drainUntil(2);
    expect(labels(r.seen)).toEqual(['B', 'A']);
    expect(await r.drain()).toEqual([]);
  });

  it('is held back by any transaction writing in this database, but not by ones in other databases', async () => {
    if (!real) return;
    const cat = `bystander${Date.now()}`;
    const r = reader({ categories: [cat] });
    const other = await createTestDatabase();
    try {
      const elsewhere = new Client({ connectionString: other.connectionString });
      elsewhere.on('error', () => undefined);
      await elsewhere.connect();
      clients.push(elsewhere);
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      const here = await connect();
      await here.query('CREATE TABLE IF NOT EXISTS bystander (n int)');
      await here.query('BEGIN');
      await here.query('INSERT INTO bystander VALUES (1)');

      await store.append(`${cat}-1`, [event('one')], { expectedVersion: 'no_stream' });
      expect(await r.drain()).toEqual([]);
      await here.query('COMMIT');
      await r.drainUntil(1);
      expect(labels(r.seen)).toEqual(['one']);

      // The transaction in the other database is still open, and does not matter.
      await store.append(`${cat}-2`, [event('two')], { expectedVersion: 'no_stream' });
      await r.drainUntil(2);
      expect(labels(r.seen)).toEqual(['one', 'two']);
      await elsewhere.query('ROLLBACK');
      await elsewhere.end();
    } finally {
      await other.close();
    }
  });

  it('delivers every committed event exactly once to checkpointing readers while random writers interleave', async () => {
    if (!real) return;
    const cat = `stress${Date.now()}`;
    const even = `${cat}e`;
    const writers = 8;
    const appendsPerWriter = 12;
    const committed = new Set<string>();
    const committedEven = new Set<string>();
    const rolledBack = new Set<string>();
    const pause = () => new Promise((res) => setTimeout(res, Math.floor(Math.random() * 12)));

    const everything = reader({ categories: [cat, even] }, 5);
    const evenOnly = reader({ categories: [even] }, 3);
    let writing = true;
    const readers = (async () => {
      while (writing) {
        await everything.drain();
        await evenOnly.drain();
        await pause();
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const c = await connect();
        for (let i = 0; i < appendsPerWriter; i++) {
          const category = i % 2 === 0 ? even : cat;
          const batch = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, (_, k) => event(`${w}/${i}/${k}`));
          await pause();
          await c.query('BEGIN');
          await pause();
          await runAppend(c, `${category}-${w}`, batch, 'any');
          await pause();
          if (Math.random() < 0.15) {
            await c.query('ROLLBACK');
            batch.forEach((e) => rolledBack.add(e.id));
          } else {
            await c.query('COMMIT');
            batch.forEach((e) => committed.add(e.id));
            if (category === even) batch.forEach((e) => committedEven.add(e.id));
          }
        }
      }),
    );
    writing = false;
    await readers;
    await everything.drainUntil(committed.size);
    await evenOnly.drainUntil(committedEven.size);

    for (const [r, expected] of [
      [everything, committed],
      [evenOnly, committedEven],
    ] as const) {
      const ids = r.seen.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(expected);
      expectStrictlyIncreasing(r.seen);
      expect(ids.some((id) => rolledBack.has(id))).toBe(false);
    }
  });
});
