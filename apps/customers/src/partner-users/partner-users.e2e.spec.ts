import { auth, bodyOf, expectProblem, invite } from '../../test/support/api';
import { startTestSystem, tokenFor, type TestSystem } from '../../test/support/test-system';
import { partnerUserStreamId } from './domain/partner-user.events';
import { streamEvents } from './testing/customers-e2e';

describe('F4 pins and F9 column preferences over HTTP', () => {
  let ts: TestSystem;
  let admin: string;
  let agent: string;
  let auditor: string;

  beforeAll(async () => {
    ts = await startTestSystem();
    admin = ts.partnerA.users['global-admin'].token;
    agent = ts.partnerA.users['admin-agent'].token;
    auditor = ts.partnerA.users.auditor.token;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const pinnedIds = async (token: string, position?: string) => {
    const res = await ts.http().get('/api/v1/me/pinned-customers').set(auth(token)).set('X-Min-Position', position ?? (await ts.headPosition()));
    expect(res.status).toBe(200);
    return bodyOf<{ items: Array<{ id: string }> }>(res).items.map((c) => c.id);
  };

  it('pins a customer (204 with the log position), and pinning it again writes nothing', async () => {
    const customerId = await invite(ts, admin);
    const first = await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(agent));
    expect(first.status).toBe(204);
    expect(first.headers['x-log-position']).toMatch(/^\d+$/);
    expect(await pinnedIds(agent, first.headers['x-log-position'])).toEqual([customerId]);

    const before = await ts.eventCount();
    const again = await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(agent));
    expect(again.status).toBe(204);
    expect(again.headers['x-log-position']).toBeUndefined();
    expect(await ts.eventCount()).toBe(before);

    const userId = ts.partnerA.users['admin-agent'].userId;
    const events = await streamEvents(ts, partnerUserStreamId(userId));
    expect(events.map((e) => [e.type, e.data])).toEqual([['CustomerPinned', { customerId }]]);
    expect(events[0].metadata).toMatchObject({ partnerId: ts.partnerA.partnerId, actor: { type: 'user', id: userId } });
  });

  it("answers 412 to a stale If-Match (the customer's ETag) and pins with the current one", async () => {
    const customerId = await invite(ts, admin);
    const read = await ts.http().get(`/api/v1/customers/${customerId}`).set(auth(admin)).set('X-Min-Position', await ts.headPosition());
    const etag = read.headers.etag as string;
    expect(etag).toMatch(/^W\/"\d+"$/);
    const before = await ts.eventCount();
    expectProblem(await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(admin)).set('If-Match', 'W/"99"'), 412, 'REQUEST.PRECONDITION_FAILED');
    expect(await ts.eventCount()).toBe(before);
    expect((await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(admin)).set('If-Match', etag)).status).toBe(204);
  });

  it("keeps pins per user: another user's pins are their own", async () => {
    const customerId = await invite(ts, admin);
    await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(admin)).expect(204);
    expect(await pinnedIds(admin)).toContain(customerId);
    expect(await pinnedIds(agent)).not.toContain(customerId);
  });

  it('unpins (204), and unpinning again writes nothing', async () => {
    const customerId = await invite(ts, admin);
    await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(admin)).expect(204);
    const res = await ts.http().delete(`/api/v1/customers/${customerId}/pin`).set(auth(admin));
    expect(res.status).toBe(204);
    expect(await pinnedIds(admin, res.headers['x-log-position'])).not.toContain(customerId);
    const before = await ts.eventCount();
    await ts.http().delete(`/api/v1/customers/${customerId}/pin`).set(auth(admin)).expect(204);
    expect(await ts.eventCount()).toBe(before);
  });

  it('answers 404 for unknown ids, malformed ids and disconnected customers, writing nothing', async () => {
    const gone = await invite(ts, admin);
    await ts.http().delete(`/api/v1/customers/${gone}`).set(auth(admin)).send({ confirmation: 'Yes' }).expect((r) => expect(r.status).toBeLessThan(300));
    const before = await ts.eventCount();
    for (const id of ['0192e5f0-0000-7000-8000-00000000dead', 'not-a-uuid', gone]) {
      expectProblem(await ts.http().put(`/api/v1/customers/${id}/pin`).set(auth(admin)), 404, 'CUSTOMER.NOT_FOUND');
    }
    expectProblem(await ts.http().delete('/api/v1/customers/0192e5f0-0000-7000-8000-00000000dead/pin').set(auth(admin)), 404, 'CUSTOMER.NOT_FOUND');
    expect(await ts.eventCount()).toBe(before);
  });

  it("gives partner B 404 on partner A's customer, for pin and unpin, writing nothing", async () => {
    const customerId = await invite(ts, admin);
    const before = await ts.eventCount();
    const b = ts.partnerB.users['global-admin'].token;
    expectProblem(await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(b)), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await ts.http().delete(`/api/v1/customers/${customerId}/pin`).set(auth(b)), 404, 'CUSTOMER.NOT_FOUND');
    expect(await ts.eventCount()).toBe(before);
  });

  it('refuses auditors (403) and anonymous callers (401)', async () => {
    const customerId = await invite(ts, admin);
    expectProblem(await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(auditor)), 403, 'AUTH.FORBIDDEN');
    expectProblem(await ts.http().put('/api/v1/me/preferences').set(auth(auditor)).send({ columns: ['name'] }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await ts.http().put(`/api/v1/customers/${customerId}/pin`), 401);
  });

  it('saves column preferences (200) that the preferences view then shows; the same choice again writes nothing', async () => {
    const token = tokenFor(ts.partnerA.partnerId, 'columns-user', ['admin-agent']);
    const res = await ts.http().put('/api/v1/me/preferences').set(auth(token)).send({ columns: ['name', 'health', 'openTickets'] });
    expect(res.status).toBe(200);
    expect(bodyOf(res)).toEqual({ columns: ['name', 'health', 'openTickets'], saved: true, savedAt: expect.any(String) });
    const view = await ts.http().get('/api/v1/me/preferences').set(auth(token)).set('X-Min-Position', res.headers['x-log-position']);
    expect(bodyOf(view)).toMatchObject({ columns: ['name', 'health', 'openTickets'], saved: true });

    const before = await ts.eventCount();
    const again = await ts.http().put('/api/v1/me/preferences').set(auth(token)).send({ columns: ['name', 'health', 'openTickets'] });
    expect(bodyOf(again)).toEqual(bodyOf(res));
    expect(await ts.eventCount()).toBe(before);
  });

  it('refuses unknown, repeated, missing or extra columns with the failing fields, writing nothing', async () => {
    const before = await ts.eventCount();
    for (const body of [
      { columns: ['name', 'password'] },
      { columns: ['name', 'name'] },
      { columns: [] },
      { columns: 'name' },
      {},
      { columns: ['name'], extra: true },
    ]) {
      const res = await ts.http().put('/api/v1/me/preferences').set(auth(agent)).send(body);
      expectProblem(res, 400);
      expect(JSON.parse(res.text).errors.length).toBeGreaterThan(0);
    }
    expect(await ts.eventCount()).toBe(before);
  });
});
