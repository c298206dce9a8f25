import type { Pool } from 'pg';
import { ValidationError } from '@platform/core';
import { inTransaction, type RecordedEvent } from '@platform/event-store';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomerListProjection } from './customer-list.projection';
import { CustomerListQueries, type ListCustomersQuery } from './customer-list.queries';
import { migrateCustomerList } from './customer-list.schema';
import type { ListSort } from './list-cursor';
import { normalizeSearchText } from './search-text';
import { EventFixtures, invited } from './testing/customer-list-fixtures';

const P = 'partner-a';
const OTHER = 'partner-b';

interface Seed {
  name: string;
  country: string;
  tags: string[];
  status: 'invited' | 'active' | 'revoked';
  tickets: number;
  health?: 'critical' | 'warning' | 'healthy';
  products?: string[];
  services?: string[];
  domain?: string;
}

const SEEDS: Seed[] = [
  { name: 'Société Générale Démo', country: 'FR', tags: ['bank', 'gold'], status: 'active', tickets: 1, health: 'warning', products: ['cloud-backup-m365'], services: ['cloud-backup-m365'] },
  { name: 'Caffè Nero Srl', country: 'IT', tags: ['retail'], status: 'active', tickets: 0, health: 'healthy', domain: 'caffenero.it' },
  { name: 'Ölwerke Müller GmbH', country: 'DE', tags: ['industry', 'gold'], status: 'invited', tickets: 0 },
  { name: 'Acme Corp', country: 'US', tags: ['gold'], status: 'active', tickets: 2, health: 'critical', products: ['policies-m365'] },
  { name: 'acme logistics', country: 'US', tags: [], status: 'revoked', tickets: 0 },
  { name: 'Banco Español', country: 'ES', tags: ['bank'], status: 'active', tickets: 0, health: 'healthy', products: ['cloud-backup-google'], services: ['cloud-backup-google'] },
  { name: 'Zeta 100%_Pure', country: 'NL', tags: [], status: 'invited', tickets: 0 },
  { name: 'Brit Ltd', country: 'GB', tags: ['retail', 'gold'], status: 'active', tickets: 1, products: ['cloud-backup-m365'] },
  { name: 'Crédit Agricole Démo', country: 'FR', tags: ['bank'], status: 'invited', tickets: 0 },
  { name: 'Deutsche Demo AG', country: 'DE', tags: [], status: 'active', tickets: 0, health: 'warning' },
  { name: 'Ewok Coffee', country: 'US', tags: ['retail'], status: 'active', tickets: 0, services: ['policies-m365'] },
  { name: 'Fjord AS', country: 'NL', tags: ['industry'], status: 'revoked', tickets: 0 },
];

const idOf = (i: number) => `0192e5f0-0000-7000-8000-${(0xa00 + i).toString(16).padStart(12, '0')}`;

function seedEvents(f: EventFixtures, partner: string, seeds: Seed[], offset = 0): RecordedEvent[] {
  return seeds.flatMap((s, i) => {
    const id = idOf(offset + i);
    const events: RecordedEvent[] = f.customer(
      partner,
      id,
      invited(s.name, { countryCode: s.country, tags: s.tags, ...(s.domain ? { primaryDomain: s.domain } : {}) }),
    );
    if (s.status === 'active') {
      events.push(...f.customer(partner, id, { type: 'InvitationAccepted', data: { registeredAccount: `admin@${id}`, accountType: 'local-account' } }));
    }
    if (s.status === 'revoked') events.push(...f.customer(partner, id, { type: 'InvitationRevoked', data: {} }));
    for (let t = 0; t < s.tickets; t++) {
      events.push(...f.customer(partner, id, { type: 'SupportTicketOpened', data: { ticketId: `t${t}`, title: 't', description: 'd', severity: 'low' } }));
    }
    if (s.health) events.push(f.other(`telemetry-${id}`, partner, id, 'CustomerHealthChanged', { health: s.health, previousHealth: 'unknown' }));
    for (const [j, code] of (s.products ?? []).entries()) {
      events.push(
        f.other(`customerfeed-${id}-${j}`, partner, id, 'ServicesAdded', {
          subscriptions: [{ subscriptionId: `${id}-${j}`, serviceCode: code, plan: 'paid', quantity: 1, unit: 'seats', termEndsAt: '2027-01-01T00:00:00.000Z', pooled: false }],
        }),
      );
    }
    if (s.services?.length) {
      events.push(f.other(`customerfeed-${id}-s`, partner, id, 'ServicesStarted', { provisioningId: 'p', services: s.services.map((serviceCode) => ({ serviceCode, state: 'started' })) }));
    }
    return events;
  });
}

describe('customer list queries', () => {
  let db: TestDatabase;
  let pool: Pool;
  let queries: CustomerListQueries;
  const projection = new CustomerListProjection();
  const fixtures = new EventFixtures();

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateCustomerList(pool);
    await inTransaction(pool, (tx) =>
      projection.handle(
        [
          ...seedEvents(fixtures, P, SEEDS),
          // Another partner's customers with matching names and tags must never show up.
          ...seedEvents(fixtures, OTHER, SEEDS.slice(0, 4), 100),
          fixtures.partnerUser(P, 'user-1', 'CustomerPinned', { customerId: idOf(3) }),
        ],
        tx,
      ),
    );
    queries = new CustomerListQueries(pool);
  });
  afterAll(async () => db.close());

  const list = (q: Partial<ListCustomersQuery>) =>
    queries.list({ partnerId: P, userId: 'user-1', sort: 'name', limit: 50, ...q });
  const names = async (q: Partial<ListCustomersQuery>) => (await list(q)).items.map((i) => i.organizationName);

  it('lists only the partner’s customers, with a total', async () => {
    const page = await list({});
    expect(page.total).toBe(SEEDS.length);
    expect(page.items).toHaveLength(SEEDS.length);
    expect(page.nextCursor).toBeNull();
    expect(page.items.every((i) => i.id < idOf(100))).toBe(true);
  });

  it('searches name and primary domain, case- and accent-insensitively, partial', async () => {
    expect(await names({ search: 'societe' })).toEqual(['Société Générale Démo']);
    expect(await names({ search: 'SOCIÉTÉ gén' })).toEqual(['Société Générale Démo']);
    expect(await names({ search: 'caffe' })).toEqual(['Caffè Nero Srl']);
    expect(await names({ search: 'NERO.IT' })).toEqual(['Caffè Nero Srl']);
    expect(await names({ search: 'olwerke' })).toEqual(['Ölwerke Müller GmbH']);
    expect(await names({ search: 'acme' })).toEqual(['Acme Corp', 'acme logistics']);
    expect(await names({ search: 'demo' })).toEqual(['Crédit Agricole Démo', 'Deutsche Demo AG', 'Société Générale Démo']);
    expect((await list({ search: 'acme' })).total).toBe(2);
  });

  it('treats LIKE wildcards in the search term literally', async () => {
    expect(await names({ search: '%' })).toEqual(['Zeta 100%_Pure']);
    expect(await names({ search: '_' })).toEqual(['Zeta 100%_Pure']);
    expect(await names({ search: 'a%e' })).toEqual([]);
  });

  it('filters by each attribute, OR within a filter, AND across filters', async () => {
    expect(await names({ status: ['revoked'] })).toEqual(['acme logistics', 'Fjord AS']);
    expect((await list({ status: ['invited', 'revoked'] })).total).toBe(5);
    expect(await names({ country: ['fr'] })).toEqual(['Crédit Agricole Démo', 'Société Générale Démo']);
    expect((await list({ country: ['FR', 'DE'] })).total).toBe(4);
    expect(await names({ tag: ['bank'] })).toEqual(['Banco Español', 'Crédit Agricole Démo', 'Société Générale Démo']);
    expect((await list({ tag: ['bank', 'retail'] })).total).toBe(6);
    expect(await names({ product: ['cloud-backup-m365'] })).toEqual(['Brit Ltd', 'Société Générale Démo']);
    expect(await names({ service: ['cloud-backup-google', 'policies-m365'] })).toEqual(['Banco Español', 'Ewok Coffee']);
    expect(await names({ hasOpenTickets: true })).toEqual(['Acme Corp', 'Brit Ltd', 'Société Générale Démo']);
    expect((await list({ hasOpenTickets: false })).total).toBe(SEEDS.length - 3);
    expect(await names({ tag: ['gold'], status: ['active'], country: ['US', 'GB'] })).toEqual(['Acme Corp', 'Brit Ltd']);
    expect(await names({ search: 'demo', tag: ['bank'], status: ['invited'] })).toEqual(['Crédit Agricole Démo']);
    expect((await list({ search: 'demo', tag: ['retail'] })).total).toBe(0);
  });

  it('marks the caller’s pins', async () => {
    const items = (await list({})).items;
    expect(items.filter((i) => i.pinned).map((i) => i.id)).toEqual([idOf(3)]);
    const other = await queries.list({ partnerId: P, userId: 'user-2', sort: 'name', limit: 50 });
    expect(other.items.some((i) => i.pinned)).toBe(false);
  });

  it('sorts by name (both ways), health (worst first) and newest', async () => {
    const byName = [...SEEDS.map((s) => s.name)].sort((a, b) =>
      normalizeSearchText(a) < normalizeSearchText(b) ? -1 : 1,
    );
    expect(await names({ sort: 'name' })).toEqual(byName);
    expect(await names({ sort: '-name' })).toEqual([...byName].reverse());
    const health = (await list({ sort: 'health' })).items.map((i) => i.health);
    expect(health.slice(0, 5)).toEqual(['critical', 'warning', 'warning', 'healthy', 'healthy']);
    expect(health.slice(5).every((h) => h === null)).toBe(true);
    expect(await names({ sort: '-createdAt' })).toEqual([...SEEDS.map((s) => s.name)].reverse());
  });

  it.each<ListSort>(['name', '-name', 'health', '-createdAt'])(
    'pages with a cursor over every row exactly once with a stable total (sort %s)',
    async (sort) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await list({ sort, limit: 5, cursor });
        expect(page.total).toBe(SEEDS.length);
        seen.push(...page.items.map((x) => x.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual((await list({ sort })).items.map((x) => x.id));
      expect(new Set(seen).size).toBe(SEEDS.length);
    },
  );

  it('keeps paging stable when customers are added between pages', async () => {
    const first = await list({ sort: 'name', limit: 4 });
    // A customer sorting before the cursor appears in the total but does not shift later pages.
    const late = seedEvents(fixtures, P, [{ name: 'Aaa First', country: 'IT', tags: [], status: 'invited', tickets: 0 }], 50);
    await inTransaction(pool, (tx) => projection.handle(late, tx));
    try {
      const rest: string[] = [];
      let cursor = first.nextCursor ?? undefined;
      while (cursor) {
        const page = await list({ sort: 'name', limit: 4, cursor });
        expect(page.total).toBe(SEEDS.length + 1);
        rest.push(...page.items.map((i) => i.organizationName));
        cursor = page.nextCursor ?? undefined;
      }
      const all = [...first.items.map((i) => i.organizationName), ...rest];
      expect(all).toHaveLength(SEEDS.length);
      expect(new Set(all).size).toBe(SEEDS.length);
    } finally {
      await pool.query('DELETE FROM customer_list WHERE customer_id = $1', [idOf(50)]);
    }
  });

  it('refuses a cursor made for another sort, or a forged one', async () => {
    const page = await list({ sort: 'name', limit: 2 });
    await expect(list({ sort: 'health', cursor: page.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(list({ cursor: 'bm9wZQ' })).rejects.toMatchObject({ fields: [{ field: 'cursor' }] });
    await expect(list({ cursor: '***' })).rejects.toBeInstanceOf(ValidationError);
  });
});
