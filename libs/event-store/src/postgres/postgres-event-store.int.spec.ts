import { uuidv7 } from '@platform/core';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import type { Pool } from 'pg';
import type { NewEvent } from '../port/event';
import { eventStoreContract } from '../testing/event-store.contract';
import { migrateEventStore } from './event-store-schema';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract('PostgresEventStore', async () => {
  const db = await createTestDatabase();
  const pool = db.pool();
  await migrateEventStore(pool);
  return { store: new PostgresEventStore(pool), teardown: () => db.close() };
});

const event = (i = 0): NewEvent => ({
  id: uuidv7(),
  type: 'Counted',
  schemaVersion: 1,
  data: { i },
  metadata: { partnerId: 'p', occurredAt: new Date(0).toISOString(), correlationId: uuidv7(), actor: { type: 'system', id: 's' } },
});

describe('PostgresEventStore specifics', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    store = new PostgresEventStore(pool);
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
  });

  it('migrates once', async () => {
    expect(await migrateEventStore(pool)).toEqual([]);
  });

  it('rejects more than 65,535 events in one append before touching the database', async () => {
    const many = Array.from({ length: 65_536 }, () => event());
    await expect(store.append('big-1', many, { expectedVersion: 'any' })).rejects.toThrow(/at most 65535 events/);
    expect(await store.streamVersion('big-1')).toBe(0);
  });

  it('derives positions from the transaction id: one append shares its high bits', async () => {
    const id = `pos-${uuidv7()}`;
    const r = await store.append(id, [event(1), event(2), event(3)], { expectedVersion: 'no_stream' });
    const positions = (await store.readStream(id)).map((e) => e.globalPosition);
    expect(positions).toEqual([r.lastGlobalPosition - 2n, r.lastGlobalPosition - 1n, r.lastGlobalPosition]);
    const { rows } = await pool.query<{ xid: string }>(
      'SELECT transaction_id::text AS xid FROM events WHERE global_position = $1',
      [r.lastGlobalPosition.toString()],
    );
    expect(BigInt(rows[0].xid)).toBe(r.lastGlobalPosition >> 16n);
  });

  it('keeps positions above the stored ones after a restore into a cluster with lower transaction ids', async () => {
    const restored = await createTestDatabase();
    try {
      const restoredPool = restored.pool();
      await migrateEventStore(restoredPool);
      // What a restored log looks like to a fresh cluster: positions far ahead of its xids.
      const ahead = ((BigInt((await restoredPool.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x) + 1_000_000n) << 16n) + 1n;
      await restoredPool.query(
        `INSERT INTO events (global_position, transaction_id, event_id, stream_id, stream_version, category, type,
                             schema_version, data, metadata)
         VALUES ($1, '1', $2, 'old-1', 1, 'old', 'Old', 1, '{}', '{}')`,
        [ahead.toString(), uuidv7()],
      );
      await migrateEventStore(restoredPool); // start-up after the restore re-bases
      const restoredStore = new PostgresEventStore(restoredPool);
      const r = await restoredStore.append(`new-${uuidv7()}`, [event()], { expectedVersion: 'no_stream' });
      expect(r.lastGlobalPosition > ahead).toBe(true);
      const page = await restoredStore.readAll({ after: ahead });
      expect(page.events.map((e) => e.globalPosition)).toEqual([r.lastGlobalPosition]);
      await restoredStore.close();
    } finally {
      await restored.close();
    }
  });

  it('handles an empty append as a version check', async () => {
    const id = `empty-${uuidv7()}`;
    expect(await store.append(id, [], { expectedVersion: 'no_stream' })).toEqual({ nextExpectedVersion: 0, lastGlobalPosition: 0n });
    const r = await store.append(id, [event()], { expectedVersion: 'no_stream' });
    expect(await store.append(id, [], { expectedVersion: 1 })).toEqual(r);
    await expect(store.append(id, [], { expectedVersion: 0 })).rejects.toMatchObject({ name: 'ConcurrencyError' });
  });

  it('wakes a waiter of another store instance through NOTIFY', async () => {
    const other = new PostgresEventStore(db.pool({ max: 2 }));
    try {
      const head = await other.headPosition();
      await other.waitForAppend(head, 1); // opens the LISTEN connection
      const waiting = other.waitForAppend(head, 10 * 60_000);
      await new Promise((r) => setTimeout(r, 50));
      await store.append(`notify-${uuidv7()}`, [event()], { expectedVersion: 'no_stream' });
      await waiting;
    } finally {
      await other.close();
    }
  }, 15_000);

  it('wakes a waiter with a category filter only for appends to its categories, here and through NOTIFY', async () => {
    const other = new PostgresEventStore(db.pool({ max: 2 }));
    const category = `wanted${uuidv7().slice(-8)}`;
    try {
      await other.waitForAppend(await other.headPosition(), 1); // opens the LISTEN connection
      for (const [waiter, writer] of [[store, store], [other, store]] as const) {
        let woken = false;
        const waiting = waiter
          .waitForAppend(await waiter.headPosition(), 10 * 60_000, undefined, { categories: [category] })
          .then(() => (woken = true));
        await new Promise((r) => setTimeout(r, 50));
        await writer.append(`unwanted-${uuidv7()}`, [event()], { expectedVersion: 'no_stream' });
        // A wrong wake-up would come at once (locally) or within the 15 ms NOTIFY interval.
        await new Promise((r) => setTimeout(r, 200));
        expect(woken).toBe(false);
        await writer.append(`${category}-${uuidv7()}`, [event()], { expectedVersion: 'no_stream' });
        await waiting;
        expect(woken).toBe(true);
      }
    } finally {
      await other.close();
    }
  }, 15_000);
});

describe('PostgresEventStore on the embedded database (exclusive to this process, one transaction at a time)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const embedded = { exclusive: true, serialTransactions: true };

  beforeAll(async () => {
    db = await createTestDatabase({ kind: 'pglite' });
    pool = db.pool();
    await migrateEventStore(pool);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('wakes a waiter of another store of this process at once, with neither NOTIFY (PGlite has none) nor polling', async () => {
    const reader = new PostgresEventStore(db.pool({ max: 2 }), embedded);
    const writer = new PostgresEventStore(pool, embedded);
    try {
      const waiting = reader.waitForAppend(await reader.headPosition(), 10 * 60_000);
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      await writer.append(`hub-${uuidv7()}`, [event()], { expectedVersion: 'no_stream' });
      await waiting;
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await reader.close();
      await writer.close();
    }
  }, 15_000);

  it('waits without a query while nothing was appended after what the reader has seen', async () => {
    const waitPool = db.pool({ max: 2 });
    const store = new PostgresEventStore(waitPool, embedded);
    try {
      await store.append(`quiet-${uuidv7()}`, [event()], { expectedVersion: 'no_stream' });
      const read = await store.readAll({ after: 0n });
      const queries = jest.spyOn(waitPool, 'query');
      await store.waitForAppend(read.position, 300);
      expect(queries).not.toHaveBeenCalled();
      queries.mockRestore();
    } finally {
      await store.close();
    }
  });

  it('reads the same pages and head with the cheap horizon as with the full one', async () => {
    const serial = new PostgresEventStore(pool, embedded);
    const full = new PostgresEventStore(pool);
    try {
      for (let i = 0; i < 5; i++) await serial.append(`alpha-${uuidv7()}`, [event(i), event(i + 10)], { expectedVersion: 'no_stream' });
      await full.append(`beta-${uuidv7()}`, [event(99)], { expectedVersion: 'no_stream' });
      for (const options of [{ after: 0n }, { after: 0n, maxCount: 3 }, { after: 0n, filter: { categories: ['alpha'] } }]) {
        expect(await serial.readAll(options)).toEqual(await full.readAll(options));
      }
      expect(await serial.headPosition()).toBe(await full.headPosition());
    } finally {
      await serial.close();
      await full.close();
    }
  });
});
