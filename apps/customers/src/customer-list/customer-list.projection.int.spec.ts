import type { Pool } from 'pg';
import {
  inTransaction,
  InMemoryDataKeyStore,
  migrateEventStore,
  migrateProjections,
  PersonalDataPolicy,
  PostgresEventStore,
  productPersonalData,
  ProjectionRunner,
  ProtectedEventStore,
  rebuildProjection,
  type RecordedEvent,
} from '@platform/event-store';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CUSTOMER_LIST_PROJECTION, CustomerListProjection } from './customer-list.projection';
import { CustomerListQueries } from './customer-list.queries';
import { migrateCustomerList } from './customer-list.schema';
import { ReadModelFreshness } from './read-model-freshness';
import { EventFixtures, invited } from './testing/customer-list-fixtures';

const P = 'partner-a';
const C1 = '0192e5f0-0000-7000-8000-00000000c001';
const C2 = '0192e5f0-0000-7000-8000-00000000c002';
const C3 = '0192e5f0-0000-7000-8000-00000000c003';

async function snapshot(pool: Pool): Promise<unknown> {
  const tables = {
    list: 'SELECT * FROM customer_list ORDER BY customer_id',
    subscriptions: 'SELECT * FROM customer_list_subscriptions ORDER BY subscription_id',
    started: 'SELECT * FROM customer_list_started_services ORDER BY customer_id, service_code',
    health: 'SELECT * FROM customer_list_health ORDER BY customer_id',
    pins: 'SELECT * FROM customer_list_pins ORDER BY user_id, customer_id',
    preferences: 'SELECT * FROM customer_list_preferences ORDER BY user_id',
  };
  const out: Record<string, unknown[]> = {};
  for (const [k, sql] of Object.entries(tables)) out[k] = (await pool.query(sql)).rows;
  return out;
}

function history(): RecordedEvent[] {
  const f = new EventFixtures();
  return [
    ...f.customer(P, C1, invited('Société Générale Démo', { countryCode: 'FR', tags: ['gold'] })),
    ...f.customer(P, C2, invited('Caffè Nero Srl', { tags: ['retail'] })),
    ...f.customer(P, C1, { type: 'InvitationAccepted', data: { registeredAccount: 'it@sg.example', accountType: 'microsoft365-global-admin' } }),
    f.partnerUser(P, 'user-1', 'CustomerPinned', { customerId: C1 }),
    f.partnerUser(P, 'user-1', 'CustomerPinned', { customerId: C2 }),
    f.partnerUser(P, 'user-1', 'ColumnPreferencesSaved', { columns: ['name', 'status'] }),
    ...f.customer(
      P,
      C1,
      { type: 'SupportTicketOpened', data: { ticketId: 't1', title: 'Backup failed', description: 'x', severity: 'high' } },
      { type: 'SupportTicketOpened', data: { ticketId: 't2', title: 'Slow', description: 'y', severity: 'low' } },
      { type: 'SupportTicketClosed', data: { ticketId: 't2' } },
      { type: 'CustomerTagsChanged', data: { tags: ['gold', 'vip'] } },
      { type: 'CustomerLogoChanged', data: { contentType: 'image/png', sizeBytes: 10, sha256: 'ab' } },
      { type: 'ManagementModeChanged', data: { from: 'partner', to: 'customer' } },
      { type: 'CustomerUpdated', data: { changes: { organizationName: 'Société Générale', countryCode: 'FR' } } },
    ),
    f.other('customerfeed-s1', P, C1, 'ServicesAdded', {
      subscriptions: [
        { subscriptionId: 's1', serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 5, unit: 'seats', termEndsAt: '2027-01-01T00:00:00.000Z', pooled: false },
        { subscriptionId: 's2', serviceCode: 'policies-m365', plan: 'trial', quantity: 5, unit: 'seats', termEndsAt: '2027-01-01T00:00:00.000Z', pooled: false },
      ],
    }),
    f.other('customerfeed-s2', P, C1, 'SubscriptionExpired', { subscriptionId: 's2', serviceCode: 'policies-m365' }),
    f.other('customerfeed-s1', P, C1, 'ServicesStarted', { provisioningId: 'p1', services: [{ serviceCode: 'cloud-backup-m365', state: 'started' }] }),
    f.other('telemetry-c1', P, C1, 'CustomerHealthChanged', { health: 'warning', previousHealth: 'healthy' }),
    ...f.customer(P, C3, invited('Gone GmbH', { countryCode: 'DE' })),
    f.partnerUser(P, 'user-1', 'CustomerPinned', { customerId: C3 }),
    ...f.customer(P, C2, { type: 'InvitationRevoked', data: {} }),
    ...f.customer(P, C3, { type: 'CustomerDisconnected', data: {} }),
    f.partnerUser(P, 'user-1', 'CustomerUnpinned', { customerId: C2 }),
  ];
}

describe('customer list projection', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new CustomerListProjection();

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await migrateCustomerList(pool);
  });
  afterAll(async () => db.close());
  beforeEach(async () => inTransaction(pool, (tx) => projection.reset(tx)));

  const apply = (events: RecordedEvent[]) => inTransaction(pool, (tx) => projection.handle(events, tx));

  it('folds customer, partner-user, subscription and health events into rows', async () => {
    await apply(history());
    const q = new CustomerListQueries(pool);
    const c1 = await q.get(P, 'user-1', C1);
    expect(c1).toMatchObject({
      id: C1,
      organizationName: 'Société Générale',
      status: 'active',
      countryCode: 'FR',
      tags: ['gold', 'vip'],
      products: ['cloud-backup-m365'],
      services: ['cloud-backup-m365'],
      openTickets: 1,
      health: 'warning',
      managementMode: 'customer',
      registeredAccount: 'it@sg.example',
      hasLogo: true,
      pinned: true,
      createdAt: '2026-01-01T09:00:00.000Z',
      version: 9,
    });
    expect(await q.get(P, 'user-1', C2)).toMatchObject({ status: 'revoked', pinned: false, openTickets: 0, health: null });
    await expect(q.get(P, 'user-1', C3)).rejects.toMatchObject({ code: 'CUSTOMER.NOT_FOUND' });
    await expect(q.get('partner-b', 'user-1', C1)).rejects.toMatchObject({ code: 'CUSTOMER.NOT_FOUND' });
    expect((await q.pinned(P, 'user-1')).items.map((i) => i.id)).toEqual([C1]);
    expect(await q.preferences(P, 'user-1')).toMatchObject({ columns: ['name', 'status'], saved: true });
    expect(await q.preferences(P, 'user-2')).toMatchObject({ saved: false, savedAt: null });
    expect((await pool.query('SELECT count(*)::int AS n FROM customer_list_pins WHERE customer_id = $1', [C3])).rows[0].n).toBe(0);
  });

  it('gives the same rows when the same events are applied twice, in one batch or in two', async () => {
    const events = history();
    await apply(events);
    const once = await snapshot(pool);
    await apply(events);
    expect(await snapshot(pool)).toEqual(once);
    await inTransaction(pool, (tx) => projection.reset(tx));
    await apply([...events, ...events]);
    expect(await snapshot(pool)).toEqual(once);
  });

  it('gives the same rows event by event as in one batch', async () => {
    const events = history();
    await apply(events);
    const batched = await snapshot(pool);
    await inTransaction(pool, (tx) => projection.reset(tx));
    for (const e of events) await apply([e]);
    expect(await snapshot(pool)).toEqual(batched);
  });

  it('rebuilt from the log equals the live read model, and does not resurrect erased personal data', async () => {
    const keys = new InMemoryDataKeyStore();
    const store = new ProtectedEventStore(new PostgresEventStore(pool), {
      keys,
      policy: new PersonalDataPolicy(productPersonalData, {}),
    });
    const f = new EventFixtures();
    const streams = [
      ...f.customer(P, C1, invited('Société Générale Démo'), {
        type: 'InvitationAccepted',
        data: { registeredAccount: 'it@sg.example', accountType: 'microsoft365-global-admin' },
      }),
      ...f.customer(P, C2, invited('Caffè Nero Srl'), {
        type: 'InvitationAccepted',
        data: { registeredAccount: 'boss@nero.example', accountType: 'microsoft365-global-admin' },
      }),
    ];
    for (const e of streams) {
      await store.append(e.streamId, [{ id: e.id, type: e.type, schemaVersion: 1, data: e.data, metadata: e.metadata }], {
        expectedVersion: e.streamVersion - 1,
      });
    }
    const runner = new ProjectionRunner({ pool, store, projection, options: { idleWaitMs: 50 } });
    // The checkpoint row (not the runner's memory): a rebuild moves it back to 0 at once.
    const checkpoint = new ReadModelFreshness(pool, projection.name, () => undefined, { maxWaitMs: 10_000 });
    const caughtUp = async () => expect(await checkpoint.waitFor(await store.headPosition())).toBe(true);
    runner.start();
    try {
      await caughtUp();
      const live = await snapshot(pool);
      await rebuildProjection(pool, projection);
      await caughtUp();
      expect(await snapshot(pool)).toEqual(live);

      // Shredding C2's key (as a disconnect would, without the event): a rebuild reads its account as null.
      await store.shred(C2);
      await rebuildProjection(pool, projection);
      await caughtUp();
      const q = new CustomerListQueries(pool);
      expect((await q.get(P, 'u', C2)).registeredAccount).toBeNull();
      expect((await q.get(P, 'u', C2)).contactEmail).toBeNull();
      expect((await q.get(P, 'u', C1)).registeredAccount).toBe('it@sg.example');
    } finally {
      await runner.stop();
    }
    expect(CUSTOMER_LIST_PROJECTION).toBe(projection.name);
  });
});
