import { FakeClock } from '@platform/core';
import { InMemoryEventStore, inTransaction } from '@platform/event-store';
import { DEMO_ADMIN_USER_ID, DEMO_PARTNER_ID } from '@platform/service-kit';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomerListProjection } from '../customer-list/customer-list.projection';
import { CustomerListQueries } from '../customer-list/customer-list.queries';
import { migrateCustomerList } from '../customer-list/customer-list.schema';
import { DEMO_CUSTOMERS } from './demo-customers';
import { demoId, seedDemoData } from './seed-demo-data';

describe('demo data', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it('makes stable, well-formed ids', () => {
    expect(demoId('a')).toBe(demoId('a'));
    expect(demoId('a')).not.toBe(demoId('b'));
    expect(demoId('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('seeds the demo partner once: a second run appends nothing', async () => {
    const store = new InMemoryEventStore();
    const clock = new FakeClock(new Date('2026-06-01T12:00:00.000Z'));
    const first = await seedDemoData(store, clock);
    expect(first.customersCreated).toBe(DEMO_CUSTOMERS.length);
    expect(first.pinsCreated).toBe(DEMO_CUSTOMERS.filter((c) => c.pinned).length);
    const head = await store.headPosition();

    clock.advance(3_600_000); // a restart later
    expect(await seedDemoData(store, clock)).toEqual({ customersCreated: 0, pinsCreated: 0 });
    expect(await store.headPosition()).toBe(head);
  });

  it('gives a list worth looking at: countries, statuses, tags, tickets, pins, accented names', async () => {
    const store = new InMemoryEventStore();
    await seedDemoData(store, new FakeClock(new Date('2026-06-01T12:00:00.000Z')));
    const pool = db.pool();
    await migrateCustomerList(pool);
    const { events } = await store.readAll({ maxCount: 10_000 });
    const projection = new CustomerListProjection();
    await inTransaction(pool, (tx) => projection.handle(events, tx));

    const q = new CustomerListQueries(pool);
    const all = await q.list({ partnerId: DEMO_PARTNER_ID, userId: DEMO_ADMIN_USER_ID, sort: 'name', limit: 200 });
    expect(all.total).toBeGreaterThanOrEqual(45);
    expect(new Set(all.items.map((i) => i.status))).toEqual(new Set(['invited', 'active', 'revoked']));
    expect(all.items.some((i) => i.managementMode === 'customer')).toBe(true);
    expect(new Set(all.items.map((i) => i.countryCode)).size).toBeGreaterThanOrEqual(7);
    expect(all.items.filter((i) => i.openTickets > 0).length).toBeGreaterThanOrEqual(3);
    expect(all.items.filter((i) => i.pinned).length).toBe(DEMO_CUSTOMERS.filter((c) => c.pinned).length);
    const search = await q.list({ partnerId: DEMO_PARTNER_ID, userId: DEMO_ADMIN_USER_ID, search: 'societe', sort: 'name', limit: 10 });
    expect(search.items.map((i) => i.organizationName)).toEqual(['Société Générale Démo']);
    expect((await q.pinned(DEMO_PARTNER_ID, DEMO_ADMIN_USER_ID)).items.length).toBeGreaterThan(0);
  });
});
