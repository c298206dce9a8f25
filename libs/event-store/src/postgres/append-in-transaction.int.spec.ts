import type { Pool } from 'pg';
import { uuidv7 } from '@platform/core';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import type { NewEvent } from '../port/event';
import { inTransaction } from './transaction';
import { migrateEventStore } from './event-store-schema';
import { PostgresEventStore } from './postgres-event-store';

const event = (type = 'Noted'): NewEvent => ({
  id: uuidv7(),
  type,
  schemaVersion: 1,
  data: { n: 1 },
  metadata: { partnerId: 'p', occurredAt: new Date().toISOString(), correlationId: 'c', actor: { type: 'system', id: 't' } },
});

describe('PostgresEventStore.appendInTransaction', () => {
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
    await store.close();
    await db.close();
  });

  it('appends several times in one transaction, in order, with distinct positions', async () => {
    const [a, b, c] = [event(), event(), event()];
    const results = await inTransaction(pool, async (tx) => [
      await store.appendInTransaction(tx, 'one-1', [a, b], { expectedVersion: 'no_stream' }),
      await store.appendInTransaction(tx, 'two-1', [c], { expectedVersion: 'any' }),
    ]);
    for (const r of results) r.committed();
    expect(results[1].lastGlobalPosition).toBeGreaterThan(results[0].lastGlobalPosition);
    const all = (await store.readAll()).events.filter((e) => ['one-1', 'two-1'].includes(e.streamId));
    expect(all.map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    expect(new Set(all.map((e) => e.globalPosition)).size).toBe(3);
  });

  it('stores nothing when the transaction rolls back', async () => {
    await expect(
      inTransaction(pool, async (tx) => {
        await store.appendInTransaction(tx, 'gone-1', [event()], { expectedVersion: 'any' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await store.readStream('gone-1')).toEqual([]);
  });

  it('answers a retry of stored events like the first append, and the transaction stays usable', async () => {
    const e = event();
    const first = await store.append('again-1', [e], { expectedVersion: 'any' });
    const retried = await inTransaction(pool, async (tx) => {
      const r = await store.appendInTransaction(tx, 'again-1', [e], { expectedVersion: 'any' });
      await tx.query('SELECT 1');
      return r;
    });
    expect(retried.lastGlobalPosition).toBe(first.lastGlobalPosition);
    expect(await store.readStream('again-1')).toHaveLength(1);
  });
});
