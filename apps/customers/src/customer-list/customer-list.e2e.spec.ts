import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { uuidv7 } from '@platform/core';
import type { NewEvent, ProtectedEventStore } from '@platform/event-store';
import {
  createServiceApp,
  EVENT_STORE,
  loadConfig,
  MessageTransportModule,
  signJwt,
  type PartnerRole,
} from '@platform/service-kit';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomersModule } from '../customers.module';
import type { CustomerEvent } from '../customers/domain/customer.events';
import { invited } from './testing/customer-list-fixtures';

const SECRET = 'customer-list-e2e-secret-0123456789abcdef';
const A = uuidv7();
const B = uuidv7();
const USER = uuidv7();

const token = (partnerId: string, ...roles: PartnerRole[]) =>
  `Bearer ${signJwt({ sub: USER, pid: partnerId, roles: roles.length ? roles : ['global-admin'] }, SECRET, 600)}`;

describe('customer list HTTP API (read side, read-your-writes)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let store: ProtectedEventStore;
  const times: string[] = [];
  const first = uuidv7();
  const second = uuidv7();
  const theirs = uuidv7();

  /** A write as a command handler would do it; returns the X-Log-Position it would answer with. */
  async function write(partnerId: string, customerId: string, ...events: CustomerEvent[]): Promise<string> {
    const stream = `customer-${customerId}`;
    const version = await store.streamVersion(stream);
    const occurredAt = new Date().toISOString();
    times.push(occurredAt);
    const toAppend: NewEvent[] = events.map((e) => ({
      id: uuidv7(),
      type: e.type,
      schemaVersion: 1,
      data: e.data as Record<string, unknown>,
      metadata: { partnerId, customerId, occurredAt, correlationId: `corr-${e.type}`, causationId: 'req-1', actor: { type: 'user', id: USER } },
    }));
    const result = await store.append(stream, toAppend, { expectedVersion: version });
    return result.lastGlobalPosition.toString();
  }

  async function pin(partnerId: string, customerId: string): Promise<string> {
    const result = await store.append(
      `partneruser-${USER}`,
      [{ id: uuidv7(), type: 'CustomerPinned', schemaVersion: 1, data: { customerId }, metadata: { partnerId, occurredAt: new Date().toISOString(), correlationId: 'c', actor: { type: 'user', id: USER } } }],
      { expectedVersion: 'any' },
    );
    return result.lastGlobalPosition.toString();
  }

  const get = (path: string, auth = token(A)) => request(app.getHttpServer()).get(path).set('Authorization', auth);

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig(
      { DATABASE_URL: db.connectionString, AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'silent' },
      { mode: 'embedded' },
    );
    app = await createServiceApp({ config, modules: [CustomersModule], infrastructure: [MessageTransportModule] });
    await app.init();
    store = app.get<ProtectedEventStore>(EVENT_STORE, { strict: false });
    await write(A, first, invited('Société Générale Démo', { countryCode: 'FR', tags: ['gold'] }));
    await write(A, second, invited('Caffè Nero Srl', { countryCode: 'IT' }));
    await write(B, theirs, invited('Société Secrète', { countryCode: 'FR' }));
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('reads its own write at once when given the write position', async () => {
    const position = await write(A, first, { type: 'CustomerTagsChanged', data: { tags: ['gold', 'vip'] } });
    const res = await get('/api/v1/customers?search=societe').set('X-Min-Position', position).expect(200);
    expect(res.headers['x-read-model-stale']).toBeUndefined();
    expect(res.body).toMatchObject({ total: 1, nextCursor: null });
    expect(res.body.items[0]).toMatchObject({ id: first, organizationName: 'Société Générale Démo', tags: ['gold', 'vip'], pinned: false });

    const viaQuery = await get(`/api/v1/customers/${first}?minPosition=${position}`).expect(200);
    expect(viaQuery.body.tags).toEqual(['gold', 'vip']);
  });

  it('reads its own writes made through the write endpoints (invite, then tags with If-Match)', async () => {
    const invite = await request(app.getHttpServer())
      .post('/api/v1/customers')
      .set('Authorization', token(A))
      .set('Idempotency-Key', uuidv7())
      .send({ organizationName: 'Crème Brûlée SARL', primaryDomain: 'creme-brulee.example', countryCode: 'FR', accountType: 'local-account', contactEmail: 'chef@creme-brulee.example', tags: ['bakery'] })
      .expect(201);
    const id = invite.body.id as string;
    const position = invite.headers['x-log-position'];
    expect(position).toMatch(/^\d+$/);
    const listed = await get('/api/v1/customers?search=CREME%20brulee').set('X-Min-Position', position).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id, status: 'invited', tags: ['bakery'] })]);

    const one = await get(`/api/v1/customers/${id}`).set('X-Min-Position', position).expect(200);
    const tagged = await request(app.getHttpServer())
      .put(`/api/v1/customers/${id}/tags`)
      .set('Authorization', token(A))
      .set('If-Match', one.headers.etag)
      .send({ tags: ['bakery', 'vip'] })
      .expect(200);
    const after = await get(`/api/v1/customers?tag=vip&search=brulee`).set('X-Min-Position', tagged.headers['x-log-position']).expect(200);
    expect(after.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  it('answers anyway, flagged stale, when the read model cannot catch up in time', async () => {
    const res = await get('/api/v1/customers').set('X-Min-Position', '99999999999999999999').expect(200);
    expect(res.headers['x-read-model-stale']).toBe('true');
  });

  it('never shows another partner’s customers', async () => {
    const position = (await store.headPosition()).toString();
    const list = await get('/api/v1/customers?search=soci').set('X-Min-Position', position).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([first]);
    for (const path of [`/api/v1/customers/${theirs}`, `/api/v1/customers/${theirs}/history`, `/api/v1/customers/${theirs}?asOf=${new Date().toISOString()}`]) {
      const res = await get(path).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('CUSTOMER.NOT_FOUND');
    }
    expect((await get(`/api/v1/customers/${uuidv7()}`).expect(404)).body.code).toBe('CUSTOMER.NOT_FOUND');
  });

  it('serves one customer with its stream version as ETag, to every role', async () => {
    const position = await write(A, second, { type: 'InvitationAccepted', data: { registeredAccount: 'boss@nero.example', accountType: 'microsoft365-global-admin' } });
    const res = await get(`/api/v1/customers/${second}`, token(A, 'auditor')).set('X-Min-Position', position).expect(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.body).toMatchObject({ id: second, status: 'active', registeredAccount: 'boss@nero.example', version: 2, locale: 'en' });
  });

  it('rebuilds the customer as it was at a past time', async () => {
    const beforeTags = times[0]; // the invitation of `first`
    const then = await get(`/api/v1/customers/${first}?asOf=${encodeURIComponent(beforeTags)}`).expect(200);
    expect(then.body).toMatchObject({ tags: ['gold'], version: 1, asOf: new Date(beforeTags).toISOString() });
    expect(then.headers.etag).toBeUndefined();
    await get(`/api/v1/customers/${first}?asOf=2000-01-01T00:00:00Z`).expect(404);
    const bad = await get(`/api/v1/customers/${first}?asOf=yesterday`).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
  });

  it('pages through the history with who, when and correlation', async () => {
    const page1 = await get(`/api/v1/customers/${first}/history?limit=1`, token(A, 'auditor')).expect(200);
    expect(page1.body.items).toEqual([
      expect.objectContaining({ type: 'CustomerInvited', streamVersion: 1, actor: { type: 'user', id: USER }, correlationId: 'corr-CustomerInvited', causationId: 'req-1', personalDataErased: false }),
    ]);
    expect(page1.body.items[0].data.contactEmail).toMatch(/@/);
    const page2 = await get(`/api/v1/customers/${first}/history?limit=1&cursor=${page1.body.nextCursor}`).expect(200);
    expect(page2.body.items.map((i: { type: string }) => i.type)).toEqual(['CustomerTagsChanged']);
  });

  it('lists pins and preferences of the caller', async () => {
    const prefs = await get('/api/v1/me/preferences').expect(200);
    expect(prefs.body).toMatchObject({ saved: false, savedAt: null });
    expect(prefs.body.columns.length).toBeGreaterThan(0);
    const position = await pin(A, second);
    const pinned = await get('/api/v1/me/pinned-customers').set('X-Min-Position', position).expect(200);
    expect(pinned.body.items.map((i: { id: string }) => i.id)).toEqual([second]);
    expect(pinned.body.items[0].pinned).toBe(true);
    expect((await get('/api/v1/me/pinned-customers', token(B)).expect(200)).body.items).toEqual([]);
  });

  it('refuses bad list parameters with the failing fields', async () => {
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['status=gone', 'status'],
      ['country=FRA', 'country'],
      ['hasOpenTickets=maybe', 'hasOpenTickets'],
      ['sort=health,name', 'sort'],
      ['cursor=%2A%2A', 'cursor'],
      ['colour=red', 'colour'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/api/v1/customers?${query}`).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const pos = await get('/api/v1/customers').set('X-Min-Position', 'latest').expect(400);
    expect(pos.body.errors).toEqual([expect.objectContaining({ field: 'X-Min-Position' })]);
    await request(app.getHttpServer()).get('/api/v1/customers').expect(401);
  });

  it('drops a disconnected customer from every view; its erased history stays for auditors', async () => {
    const position = await write(A, second, { type: 'CustomerDisconnected', data: {} });
    await store.shred(second);
    const list = await get('/api/v1/customers').set('X-Min-Position', position).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(second);
    expect((await get('/api/v1/customers?search=nero').expect(200)).body).toEqual({ items: [], total: 0, nextCursor: null });
    await get(`/api/v1/customers/${second}`).expect(404);
    expect((await get('/api/v1/me/pinned-customers').expect(200)).body.items).toEqual([]);
    await get(`/api/v1/customers/${second}/history`, token(A, 'admin-agent')).expect(404);

    const history = await get(`/api/v1/customers/${second}/history`, token(A, 'auditor')).expect(200);
    const invitedEvent = history.body.items.find((i: { type: string }) => i.type === 'CustomerInvited');
    expect(invitedEvent).toMatchObject({ personalDataErased: true, data: { contactEmail: null, organizationName: 'Caffè Nero Srl' } });
    expect(history.body.items.find((i: { type: string }) => i.type === 'InvitationAccepted').data.registeredAccount).toBeNull();
    expect(history.body.items.at(-1).type).toBe('CustomerDisconnected');
  });
});
