import { uuidv7 } from '@platform/core';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import type { Pool } from 'pg';
import type { NewEvent } from '../port/event';
import { migrateEventStore } from '../postgres/event-store-schema';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { CachedDataKeyStore } from './cached-data-key-store';
import { SubjectShreddedError } from './errors';
import { PersonalDataPolicy } from './personal-data-policy';
import { migrateDataKeys, PostgresDataKeyStore } from './postgres-data-key-store';
import { productPersonalData } from './product-personal-data';
import { ProtectedEventStore } from './protected-event-store';

describe('ProtectedEventStore on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: ProtectedEventStore;
  let keyStore: PostgresDataKeyStore;
  const masterKey = Buffer.alloc(32, 7);
  const partnerId = uuidv7();
  const alice = uuidv7();
  const bob = uuidv7();

  const invited = (customerId: string, email: string): NewEvent => ({
    id: uuidv7(),
    type: 'CustomerInvited',
    schemaVersion: 1,
    data: {
      organizationName: `Org of ${email.split('@')[0]}`,
      primaryDomain: email.split('@')[1],
      countryCode: 'IT',
      contactEmail: email,
      invitation: { draftEmail: `Hello ${email}`, expiresAt: '2026-01-08T00:00:00.000Z' },
    },
    metadata: {
      partnerId,
      customerId,
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: uuidv7(),
      actor: { type: 'user', id: 'u-1' },
    },
  });
  const reports = (customerId: string, recipients: string[]): NewEvent => ({
    ...invited(customerId, 'x@y.io'),
    id: uuidv7(),
    type: 'ServiceReportsConfigured',
    data: { enabled: true, recipients },
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateDataKeys(pool);
    keyStore = new PostgresDataKeyStore(pool, { masterKey });
    store = new ProtectedEventStore(new PostgresEventStore(pool), {
      keys: new CachedDataKeyStore(keyStore),
      policy: new PersonalDataPolicy(productPersonalData),
    });
    await store.append(`customer-${alice}`, [invited(alice, 'alice@contoso.com'), reports(alice, ['ceo@contoso.com'])], {
      expectedVersion: 'no_stream',
    });
    await store.append(`customer-${bob}`, [invited(bob, 'bob@fabrikam.com')], { expectedVersion: 'no_stream' });
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
  });

  it('migrates the key table once', async () => {
    expect(await migrateDataKeys(pool)).toEqual([]);
  });

  it('keeps no plaintext personal data in the events table, and only wrapped keys', async () => {
    const { rows } = await pool.query<{ data: string; metadata: string }>('SELECT data::text, metadata::text FROM events');
    expect(rows).toHaveLength(3);
    const all = rows.map((r) => r.data + r.metadata).join('\n');
    for (const secret of ['alice@contoso.com', 'ceo@contoso.com', 'bob@fabrikam.com', 'Hello']) expect(all).not.toContain(secret);
    expect(all).toContain('Org of alice'); // business data stays queryable
    const hits = await pool.query(`SELECT 1 FROM events WHERE data->>'contactEmail' = 'alice@contoso.com' OR data::text LIKE '%alice@%'`);
    expect(hits.rowCount).toBe(0);

    const keys = await pool.query<{ key: Buffer }>('SELECT key FROM data_keys ORDER BY subject_id');
    expect(keys.rows.map((r) => [r.key.length, r.key[0]])).toEqual([
      [61, 1],
      [61, 1],
    ]);
  });

  // readAll goes through the same decryption (unit-tested); it is left out here because its
  // readable end waits for transactions that other suites hold open on the shared server.
  it('reads the history back decrypted', async () => {
    const stream = await store.readStream(`customer-${alice}`);
    expect(stream.map((e) => e.data.contactEmail ?? e.data.recipients)).toEqual(['alice@contoso.com', ['ceo@contoso.com']]);
    expect(stream[0].data.invitation).toEqual({ draftEmail: 'Hello alice@contoso.com', expiresAt: '2026-01-08T00:00:00.000Z' });
    expect(stream[0].metadata.encryptedFields).toBeUndefined();
  });

  it('after shred reads alice’s history with personal data erased and leaves bob’s intact', async () => {
    await store.shred(alice);

    // A fresh process (no cache) sees the same.
    const reader = new ProtectedEventStore(new PostgresEventStore(pool), {
      keys: new PostgresDataKeyStore(pool, { masterKey }),
      policy: new PersonalDataPolicy(productPersonalData),
    });
    for (const s of [store, reader]) {
      const [inv, rep] = await s.readStream(`customer-${alice}`);
      expect(inv.data).toEqual({
        organizationName: 'Org of alice',
        primaryDomain: 'contoso.com',
        countryCode: 'IT',
        contactEmail: null,
        invitation: { draftEmail: null, expiresAt: '2026-01-08T00:00:00.000Z' },
      });
      expect(inv.metadata.personalDataErased).toBe(true);
      expect(rep.data).toEqual({ enabled: true, recipients: null });
      const [b] = await s.readStream(`customer-${bob}`);
      expect(b.data.contactEmail).toBe('bob@fabrikam.com');
      expect(b.metadata.personalDataErased).toBeUndefined();
    }
    const row = await pool.query('SELECT key, shredded_at FROM data_keys WHERE subject_id = $1', [alice]);
    expect(row.rows[0]).toEqual({ key: null, shredded_at: expect.any(Date) });

    await expect(
      store.append(`customer-${alice}`, [invited(alice, 'alice2@contoso.com')], { expectedVersion: 'any' }),
    ).rejects.toBeInstanceOf(SubjectShreddedError);
    await expect(keyStore.getOrCreate(alice)).rejects.toBeInstanceOf(SubjectShreddedError);
    await reader.close();
  });

  it('gives two racing first writers of a subject the same key', async () => {
    const carol = uuidv7();
    const [k1, k2] = await Promise.all([keyStore.getOrCreate(carol), keyStore.getOrCreate(carol)]);
    expect(k1.equals(k2)).toBe(true);
  });

  it('tombstones a subject that never had a key', async () => {
    const dave = uuidv7();
    await keyStore.shred(dave);
    await keyStore.shred(dave); // idempotent
    expect((await keyStore.getMany([dave])).get(dave)).toEqual({ status: 'shredded' });
    await expect(keyStore.getOrCreate(dave)).rejects.toBeInstanceOf(SubjectShreddedError);
  });
});
