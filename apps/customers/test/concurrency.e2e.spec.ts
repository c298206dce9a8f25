import { randomUUID } from 'node:crypto';
import { auth, bodyOf, expectProblem, expectStatusIn, invite, inviteBody } from './support/api';
import { startTestSystem, type TestSystem } from './support/test-system';

/**
 * Idempotency-Key on POST, ETag / If-Match on customers, and concurrent conflicting commands:
 * one wins, the other is refused, and no accepted change is ever lost.
 */

interface HistoryEntry {
  type: string;
  data: Record<string, unknown>;
}

describe('idempotency and concurrency', () => {
  let ts: TestSystem;
  let admin: Record<string, string>;

  beforeAll(async () => {
    ts = await startTestSystem();
    admin = auth(ts.partnerA.users['global-admin'].token);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  /** Customers of partner A named exactly `name`, read at least as new as `position`. */
  async function customersNamed(name: string, position: string): Promise<string[]> {
    const res = await ts.http().get(`/api/v1/customers?search=${encodeURIComponent(name)}&limit=50`).set(admin).set('X-Min-Position', position);
    expect(res.status).toBe(200);
    return bodyOf<{ items: Array<{ id: string; organizationName: string }> }>(res)
      .items.filter((c) => c.organizationName === name)
      .map((c) => c.id);
  }

  async function history(customerId: string): Promise<HistoryEntry[]> {
    const res = await ts.http().get(`/api/v1/customers/${customerId}/history?limit=200`).set(admin).set('X-Min-Position', await ts.headPosition());
    expect(res.status).toBe(200);
    return bodyOf<{ items: HistoryEntry[] }>(res).items;
  }

  async function etagOf(customerId: string, position?: string): Promise<string> {
    const res = await ts
      .http()
      .get(`/api/v1/customers/${customerId}`)
      .set(admin)
      .set('X-Min-Position', position ?? (await ts.headPosition()));
    expect(res.status).toBe(200);
    expect(res.headers.etag).toMatch(/^W\/"\d+"$/);
    return res.headers.etag as string;
  }

  const patch = (customerId: string, body: Record<string, unknown>, ifMatch?: string) => {
    const req = ts.http().patch(`/api/v1/customers/${customerId}`).set(admin);
    return (ifMatch ? req.set('If-Match', ifMatch) : req).send(body);
  };

  describe('Idempotency-Key on POST /api/v1/customers', () => {
    it('replays the first answer for a retry and creates one customer', async () => {
      const key = randomUUID();
      const body = inviteBody();
      const first = await ts.http().post('/api/v1/customers').set(admin).set('Idempotency-Key', key).send(body);
      expect(first.status).toBe(201);
      const afterFirst = await ts.eventCount();

      const retry = await ts.http().post('/api/v1/customers').set(admin).set('Idempotency-Key', key).send(body);
      expect(retry.status).toBe(201);
      expect(bodyOf(retry)).toEqual(bodyOf(first));
      expect(retry.headers.location).toBe(first.headers.location);
      expect(retry.headers['x-log-position']).toBe(first.headers['x-log-position']);
      expect(await ts.eventCount()).toBe(afterFirst);
      expect(await customersNamed(body.organizationName as string, first.headers['x-log-position'] as string)).toEqual([bodyOf<{ id: string }>(first).id]);
    });

    it('refuses the same key with another body (422) and appends nothing', async () => {
      const key = randomUUID();
      const first = await ts.http().post('/api/v1/customers').set(admin).set('Idempotency-Key', key).send(inviteBody());
      expect(first.status).toBe(201);
      const before = await ts.eventCount();
      const other = await ts.http().post('/api/v1/customers').set(admin).set('Idempotency-Key', key).send(inviteBody());
      expectProblem(other, 422, 'IDEMPOTENCY.KEY_REUSED');
      expect(await ts.eventCount()).toBe(before);
    });

    it('scopes keys per user: another user with the same key and body creates its own customer', async () => {
      const key = randomUUID();
      const body = inviteBody();
      const mine = await ts.http().post('/api/v1/customers').set(admin).set('Idempotency-Key', key).send(body);
      const theirs = await ts.http().post('/api/v1/customers').set(auth(ts.partnerA.users['admin-agent'].token)).set('Idempotency-Key', key).send(body);
      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(bodyOf<{ id: string }>(theirs).id).not.toBe(bodyOf<{ id: string }>(mine).id);
    });

    it('executes two simultaneous requests with one key once', async () => {
      const key = randomUUID();
      const body = inviteBody();
      const before = await ts.eventCount();
      const answers = await Promise.all(
        [0, 1, 2].map(() => ts.http().post('/api/v1/customers').set(admin).set('Idempotency-Key', key).send(body)),
      );
      for (const a of answers) {
        if (a.status === 409) expectProblem(a, 409, 'IDEMPOTENCY.IN_PROGRESS');
        else expect(a.status).toBe(201);
      }
      const created = answers.filter((a) => a.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((a) => bodyOf<{ id: string }>(a).id)).size).toBe(1);
      expect(await ts.eventCount()).toBe(before + 1);
    });
  });

  describe('ETag and If-Match', () => {
    it('gives customers a weak ETag that moves with every change and answers 412 to a stale If-Match', async () => {
      const id = await invite(ts, ts.partnerA.users['global-admin'].token);
      const etag = await etagOf(id);

      const ok = await patch(id, { organizationName: 'Fresh Name SRL' }, etag);
      expect(ok.status).toBe(200);
      const next = ok.headers.etag as string;
      expect(next).toMatch(/^W\/"\d+"$/);
      expect(next).not.toBe(etag);
      expect(await etagOf(id, ok.headers['x-log-position'] as string)).toBe(next);

      const before = await ts.eventCount();
      const stale = await patch(id, { organizationName: 'Stale Name SRL' }, etag);
      expectProblem(stale, 412, 'REQUEST.PRECONDITION_FAILED');
      expect(await ts.eventCount()).toBe(before);

      const current = await patch(id, { locale: 'fr' }, next);
      expect(current.status).toBe(200);
    });

    it('answers 412 to a stale If-Match on PUT tags', async () => {
      const id = await invite(ts, ts.partnerA.users['global-admin'].token);
      const etag = await etagOf(id);
      expect((await patch(id, { locale: 'en' }, etag)).status).toBe(200);
      const before = await ts.eventCount();
      const stale = await ts.http().put(`/api/v1/customers/${id}/tags`).set(admin).set('If-Match', etag).send({ tags: ['gold'] });
      expectProblem(stale, 412, 'REQUEST.PRECONDITION_FAILED');
      expect(await ts.eventCount()).toBe(before);
    });
  });

  describe('concurrent conflicting commands', () => {
    it('lets exactly one of two PATCHes with the same If-Match win, and keeps the winner', async () => {
      for (let round = 0; round < 8; round++) {
        const id = await invite(ts, ts.partnerA.users['global-admin'].token);
        const etag = await etagOf(id);
        const names = [`Left ${round} ${randomUUID().slice(0, 6)}`, `Right ${round} ${randomUUID().slice(0, 6)}`];
        const answers = await Promise.all(names.map((organizationName) => patch(id, { organizationName }, etag)));

        const winners = answers.filter((a) => a.status === 200);
        expect(winners).toHaveLength(1);
        const loser = answers.find((a) => a.status !== 200)!;
        expectStatusIn(loser, [409, 412]);
        expectProblem(loser, loser.status);

        const winnerName = names[answers.indexOf(winners[0])];
        const view = await ts.http().get(`/api/v1/customers/${id}`).set(admin).set('X-Min-Position', winners[0].headers['x-log-position'] as string);
        expect(bodyOf<{ organizationName: string }>(view).organizationName).toBe(winnerName);
        const updates = (await history(id)).filter((e) => e.type === 'CustomerUpdated');
        expect(updates).toHaveLength(1);
      }
    });

    it('never loses an accepted change when PATCHes without If-Match race', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await invite(ts, ts.partnerA.users['global-admin'].token);
        const changes = [{ organizationName: `Raced ${round} ${randomUUID().slice(0, 6)}` }, { locale: 'fr' }, { countryCode: 'FR' }];
        const answers = await Promise.all(changes.map((c) => patch(id, c)));
        for (const a of answers) expectStatusIn(a, [200, 409]);
        const accepted = changes.filter((_, i) => answers[i].status === 200);
        expect(accepted.length).toBeGreaterThanOrEqual(1);

        const updates = (await history(id)).filter((e) => e.type === 'CustomerUpdated');
        expect(updates).toHaveLength(accepted.length);
        const head = await ts.headPosition();
        const view = bodyOf<Record<string, unknown>>(await ts.http().get(`/api/v1/customers/${id}`).set(admin).set('X-Min-Position', head));
        for (const change of accepted) expect(view).toMatchObject(change);
      }
    });
  });
});
